package dev.cornac.operator.deletion;

import dev.cornac.api.model.Postgresql;
import dev.cornac.operator.reconcile.Ownership;
import dev.cornac.operator.reconcile.PostgresqlReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletion of clusters. Without finalizers, as upstream does it by default: when a {@code postgresql} resource
 * disappears, its objects are removed. With our finalizer (finalizers enabled, or delete protection configured),
 * a resource marked for deletion is handed to {@code onMarkedForDeletion}, which enforces the protection. With owner
 * references and no finalizer, Kubernetes' garbage collector does the work. Only the leader acts.
 */
public final class DeletionWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeletionWatcher.class);

  private final SharedIndexInformer<Postgresql> informer;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "cornac-deletion");
    t.setDaemon(true);
    return t;
  });

  public DeletionWatcher(KubernetesClient client, String namespace, Ownership ownership, ClusterDeletion deletion,
      java.util.function.Consumer<Postgresql> onMarkedForDeletion, boolean deleteWithoutFinalizer,
      BooleanSupplier leader) {
    var resources = client.resources(Postgresql.class);
    ResourceEventHandler<Postgresql> handler = new ResourceEventHandler<>() {
      @Override
      public void onAdd(Postgresql pg) {
        marked(pg);
      }

      @Override
      public void onUpdate(Postgresql before, Postgresql after) {
        marked(after);
      }

      private void marked(Postgresql pg) {
        var finalizers = pg.getMetadata().getFinalizers();
        if (pg.isMarkedForDeletion() && finalizers != null && finalizers.contains(PostgresqlReconciler.FINALIZER)
            && ownership.owns(pg) && leader.getAsBoolean()) {
          run(pg, () -> onMarkedForDeletion.accept(pg));
        }
      }

      @Override
      public void onDelete(Postgresql pg, boolean finalStateUnknown) {
        var finalizers = pg.getMetadata().getFinalizers();
        if (!deleteWithoutFinalizer || !ownership.owns(pg) || !leader.getAsBoolean()
            || (finalizers != null && finalizers.contains(PostgresqlReconciler.FINALIZER))) {
          return;
        }
        run(pg, () -> deletion.delete(pg));
      }
    };
    informer = "*".equals(namespace) ? resources.inAnyNamespace().inform(handler)
        : resources.inNamespace(namespace).inform(handler);
  }

  private void run(Postgresql pg, Runnable work) {
    executor.submit(() -> {
      try {
        work.run();
      } catch (RuntimeException e) {
        LOG.warn("cluster {}/{}: deletion failed: {}", pg.getMetadata().getNamespace(), pg.getMetadata().getName(),
            e.getMessage());
      }
    });
  }

  @Override
  public void close() {
    informer.close();
    executor.shutdown();
  }
}
