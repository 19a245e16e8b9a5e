package dev.cornac.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.api.model.Postgresql;
import dev.cornac.api.model.PostgresqlStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NewClustersFirstTest {
  /** A pass for one cluster, as JOSDK would queue it. */
  private record Pass(Postgresql cluster, List<String> ran) implements Runnable {
    @Override
    public void run() {
      ran.add(cluster.getMetadata().getName());
    }
  }

  private static Postgresql cluster(String name, String status) {
    Postgresql pg = new Postgresql();
    pg.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
    if (status != null) {
      pg.setStatus(new PostgresqlStatus(status));
    }
    return pg;
  }

  private static Optional<HasMetadata> resourceOf(Runnable task) {
    return task instanceof Pass pass ? Optional.of(pass.cluster()) : Optional.empty();
  }

  @Test
  void aClusterBeingCreatedIsServedBeforeTheBacklogAndTheRestInArrivalOrder() throws Exception {
    NewClustersFirst workers =
        new NewClustersFirst(1, NewClustersFirstTest::resourceOf, NewClustersFirst::beingCreated);
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    workers.execute(
        () -> {
          busy.countDown();
          awaitQuietly(release);
        });
    assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 1; i <= 5; i++) {
      workers.execute(new Pass(cluster("rolling-" + i, "Updating"), ran));
    }
    workers.execute(new Pass(cluster("created", null), ran));
    workers.execute(new Pass(cluster("running", "Running"), ran));
    workers.execute(new Pass(cluster("creating", "Creating"), ran));
    release.countDown();
    workers.shutdown();
    assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ran)
        .containsExactly(
            "created",
            "creating",
            "rolling-1",
            "rolling-2",
            "rolling-3",
            "rolling-4",
            "rolling-5",
            "running");
    assertThat(workers.servedFirst()).isEqualTo(2);
    assertThat(workers.unidentified()).isEqualTo(1); // the blocking task is no cluster's pass
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
