package dev.cornac.operator.reconcile;

import dev.cornac.api.model.Postgresql;
import dev.cornac.operator.status.ClusterStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile workers, serving a cluster that is being created before the passes queued for
 * existing ones. A change to every cluster (the seed's minor upgrade) queues one pass per cluster;
 * in arrival order a cluster created just after waits behind all of them (22 s at 1000 clusters).
 * Among new clusters, and among existing ones, order stays first come, first served, so nobody
 * starves while creations are not endless.
 *
 * <p>JOSDK hands each pass to {@link #execute} as a runnable that holds the pass's execution scope
 * (with the resource) in a private field, neither of them public; it is read by reflection, and a
 * task it cannot be read from keeps the ordinary order (counted in {@link #unidentified()}, which a
 * test watches across JOSDK upgrades).
 */
public final class NewClustersFirst extends ThreadPoolExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(NewClustersFirst.class);

  private final Function<Runnable, Optional<HasMetadata>> resourceOf;
  private final Predicate<HasMetadata> isNew;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong unidentified = new AtomicLong();
  private final AtomicLong servedFirst = new AtomicLong();

  public NewClustersFirst(int workers) {
    this(workers, NewClustersFirst::josdkResource, NewClustersFirst::beingCreated);
  }

  NewClustersFirst(
      int workers,
      Function<Runnable, Optional<HasMetadata>> resourceOf,
      Predicate<HasMetadata> isNew) {
    super(workers, workers, 1, TimeUnit.MINUTES, new PriorityBlockingQueue<>(), threads());
    this.resourceOf = resourceOf;
    this.isNew = isNew;
  }

  @Override
  public void execute(Runnable task) {
    Optional<HasMetadata> resource = resourceOf.apply(task);
    if (resource.isEmpty()) {
      unidentified.incrementAndGet();
    }
    boolean first = resource.filter(isNew).isPresent();
    super.execute(new Queued(task, first ? 0 : 1, sequence.incrementAndGet()));
  }

  @Override
  protected void beforeExecute(Thread worker, Runnable task) {
    if (task instanceof Queued queued && queued.rank == 0) {
      servedFirst.incrementAndGet();
    }
  }

  /**
   * Passes whose resource could not be read from JOSDK's task: 0 unless a JOSDK upgrade moved the
   * field.
   */
  public long unidentified() {
    return unidentified.get();
  }

  /** Passes of clusters being created, served ahead of the queue. */
  public long servedFirst() {
    return servedFirst.get();
  }

  /** A cluster whose first pass has not run, or whose pods have never all been ready. */
  static boolean beingCreated(HasMetadata resource) {
    if (!(resource instanceof Postgresql pg)) {
      return false;
    }
    return pg.getStatus() == null
        || pg.getStatus().postgresClusterStatus == null
        || ClusterStatus.CREATING.equals(pg.getStatus().postgresClusterStatus);
  }

  private static Optional<HasMetadata> josdkResource(Runnable task) {
    try {
      Field field = task.getClass().getDeclaredField("executionScope");
      field.setAccessible(true);
      Object scope = field.get(task);
      Method getResource = scope.getClass().getDeclaredMethod("getResource");
      getResource.setAccessible(true);
      return Optional.ofNullable((HasMetadata) getResource.invoke(scope));
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug(
          "cannot tell which resource a reconcile task is for; it keeps its place in the queue", e);
      return Optional.empty();
    }
  }

  private static ThreadFactory threads() {
    AtomicInteger count = new AtomicInteger();
    return r -> new Thread(r, "reconcile-" + count.incrementAndGet());
  }

  /** A pass in the queue: its rank (0 for a cluster being created), then its arrival. */
  private record Queued(Runnable task, int rank, long arrival)
      implements Runnable, Comparable<Queued> {
    @Override
    public void run() {
      task.run();
    }

    @Override
    public int compareTo(Queued other) {
      return rank != other.rank
          ? Integer.compare(rank, other.rank)
          : Long.compare(arrival, other.arrival);
    }
  }
}
