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
 * Deletion without finalizers, as upstream does it by default: when a {@code postgresql} resource disappears, its
 * objects are removed. (With finalizers or delete protection configured the reconciler handles deletion instead;
 * with owner references Kubernetes' garbage collector does.) Only the leader acts.
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
      BooleanSupplier leader) {
    var resources = client.resources(Postgresql.class);
    ResourceEventHandler<Postgresql> handler = new ResourceEventHandler<>() {
      @Override
      public void onAdd(Postgresql pg) {
      }

      @Override
      public void onUpdate(Postgresql before, Postgresql after) {
      }

      @Override
      public void onDelete(Postgresql pg, boolean finalStateUnknown) {
        var finalizers = pg.getMetadata().getFinalizers();
        if (!ownership.owns(pg) || !leader.getAsBoolean()
            || (finalizers != null && finalizers.contains(PostgresqlReconciler.FINALIZER))) {
          return;
        }
        executor.submit(() -> {
          try {
            deletion.delete(pg);
          } catch (RuntimeException e) {
            LOG.warn("cluster {}/{}: deletion failed: {}", pg.getMetadata().getNamespace(), pg.getMetadata().getName(),
                e.getMessage());
          }
        });
      }
    };
    informer = "*".equals(namespace) ? resources.inAnyNamespace().inform(handler)
        : resources.inNamespace(namespace).inform(handler);
  }

  @Override
  public void close() {
    informer.close();
    executor.shutdown();
  }
}
