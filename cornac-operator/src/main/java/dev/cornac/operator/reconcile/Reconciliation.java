package dev.cornac.operator.reconcile;

import dev.cornac.api.model.Postgresql;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.DesiredState;
import dev.cornac.operator.events.EventRecorder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over one cluster: what it should have, where to read what it has, how to write, and a
 * record of every action taken (each action is logged and becomes an Event).
 */
public final class Reconciliation {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciliation.class);

  private final Cluster cluster;
  private final DesiredState desired;
  private final ClusterInformers informers;
  private final KubernetesWriter writer;
  private final EventRecorder events;
  private final List<String> actions = new ArrayList<>();
  private Duration recheck;
  private boolean statusWritten;
  private boolean waitsForWindow;

  public Reconciliation(
      Cluster cluster,
      DesiredState desired,
      ClusterInformers informers,
      KubernetesWriter writer,
      EventRecorder events) {
    this.cluster = cluster;
    this.desired = desired;
    this.informers = informers;
    this.writer = writer;
    this.events = events;
  }

  public Cluster cluster() {
    return cluster;
  }

  public Postgresql resource() {
    return cluster.resource();
  }

  public DesiredState desired() {
    return desired;
  }

  public ClusterInformers informers() {
    return informers;
  }

  public KubernetesWriter writer() {
    return writer;
  }

  public <R extends HasMetadata> Optional<R> live(Class<R> type, HasMetadata desiredObject) {
    return informers.get(
        type, desiredObject.getMetadata().getNamespace(), desiredObject.getMetadata().getName());
  }

  /** Records a user-visible action: a log line and a Normal event with upstream's reason. */
  public void acted(String reason, String message) {
    actions.add(message);
    LOG.info("cluster {}/{}: {}", cluster.namespace(), cluster.name(), message);
    events.normal(resource(), reason, message);
  }

  /**
   * A state worth showing in the status (the Reconciled condition's message) that is not news: no
   * Event.
   */
  public void note(String message) {
    actions.add(message);
  }

  public void warn(String reason, String message) {
    LOG.warn("cluster {}/{}: {}", cluster.namespace(), cluster.name(), message);
    events.warning(resource(), reason, message);
  }

  /**
   * The next member step of an operation under way (a restart, a switchover Patroni is not ready
   * for).
   */
  public static final Duration NEXT_STEP = Duration.ofSeconds(2);

  /**
   * Something waits on the cluster's members or nodes (an upgrade's preconditions, a drained node).
   */
  public static final Duration SOON = Duration.ofSeconds(10);

  /**
   * Something waits: look again after this rather than at the next resync (the shortest asked for
   * in the pass wins). Waiting is always a later pass, never a sleep on the worker.
   */
  public void recheckIn(Duration after) {
    recheck = recheck == null || after.compareTo(recheck) < 0 ? after : recheck;
  }

  /**
   * The status was written during the pass (a long operation's progress): the final one is written
   * the same way.
   */
  public void statusWritten(boolean written) {
    statusWritten = written;
  }

  public boolean statusWritten() {
    return statusWritten;
  }

  /** Something is held until the next maintenance window: look again when it opens. */
  public void waitForWindow() {
    waitsForWindow = true;
  }

  public boolean waitsForWindow() {
    return waitsForWindow;
  }

  public Optional<Duration> recheck() {
    return Optional.ofNullable(recheck);
  }

  public List<String> actions() {
    return actions;
  }
}
