package dev.cornac.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.PatroniRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The background process of a local cluster ({@code cornac local up} starts it, {@code down} stops
 * it): runs what {@code state.json} asks for, restarts what crashes (backing off from 1 s to 30 s
 * while it keeps crashing), follows the primary with the poolers, and on SIGTERM stops everything
 * in order: poolers and exporter, replicas, the primary, etcd. It starts nothing the state does not
 * name, and stops strays a killed predecessor left behind.
 */
public final class Supervisor {
  static final Duration TICK = Duration.ofMillis(500);
  static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final Duration STABLE = Duration.ofSeconds(30);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Running(Component spec, Process process, Instant started) {}

  private record Restart(int count, Instant notBefore, Duration backoff, String lastExit) {}

  private final LocalLayout layout;
  private final RuntimeUser user;
  private final Map<String, Running> running = new LinkedHashMap<>();
  private final Map<String, Restart> restarts = new HashMap<>();
  private final Map<String, Integer> routedPorts = new HashMap<>();
  private final Map<String, Boolean> reloadPending = new HashMap<>();
  private volatile boolean stopping;
  private Instant lastRouting = Instant.EPOCH;
  private final ScheduledBackups backups;

  public Supervisor(LocalLayout layout, RuntimeUser user) {
    this.layout = layout;
    this.user = user;
    this.backups = new ScheduledBackups(layout, user, Supervisor::log);
  }

  public static void main(String[] args) throws Exception {
    Supervisor s = new Supervisor(new LocalLayout(Path.of(args[0])), RuntimeUser.current());
    s.run();
  }

  public void run() throws InterruptedException {
    log("supervisor started (pid " + ProcessHandle.current().pid() + ")");
    PrivateFiles.write(layout.supervisorPid(), ProcessHandle.current().pid() + "\n");
    Thread main = Thread.currentThread();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping = true;
                  main.interrupt();
                  synchronized (this) {
                    stopAll();
                  }
                  try {
                    Files.deleteIfExists(layout.supervisorPid());
                  } catch (IOException e) {
                    // the next `up` checks the pid anyway
                  }
                  log("supervisor stopped");
                }));
    stopStrays();
    while (!stopping) {
      synchronized (this) {
        if (!stopping) {
          try {
            tick();
          } catch (RuntimeException e) {
            log("error: " + e.getMessage());
          }
        }
      }
      try {
        Thread.sleep(TICK.toMillis());
      } catch (InterruptedException e) {
        if (stopping) {
          break;
        }
      }
    }
    // The shutdown hook does the stopping; park until it lets the JVM exit.
    Thread.sleep(Long.MAX_VALUE);
  }

  void tick() {
    Optional<LocalState> read = LocalState.read(layout);
    if (read.isEmpty()) {
      return;
    }
    LocalState state = read.get();
    Map<String, Component> desired = Components.of(state, layout, LocalCredentials.load(layout));
    for (String name : new ArrayList<>(running.keySet())) {
      Running r = running.get(name);
      Component want = desired.get(name);
      if (want == null || !want.equals(r.spec())) {
        log((want == null ? "stopping " : "restarting (configuration changed) ") + name);
        stop(r);
        running.remove(name);
        restarts.remove(name);
      } else if (!r.process().isAlive()) {
        int code = r.process().exitValue();
        running.remove(name);
        Restart previous = restarts.get(name);
        boolean stable = Duration.between(r.started(), Instant.now()).compareTo(STABLE) >= 0;
        Duration backoff =
            previous == null || stable
                ? Duration.ofSeconds(1)
                : min(previous.backoff().multipliedBy(2), MAX_BACKOFF);
        int count = previous == null ? 1 : previous.count() + 1;
        restarts.put(
            name, new Restart(count, Instant.now().plus(backoff), backoff, "exit code " + code));
        log(
            name
                + " exited with code "
                + code
                + "; restarting in "
                + backoff.toSeconds()
                + " s (see "
                + want.log()
                + ")");
      }
    }
    routePoolers(state);
    backups.tick(state);
    for (Component c : desired.values()) {
      Restart restart = restarts.get(c.name());
      if (!running.containsKey(c.name())
          && (restart == null || Instant.now().isAfter(restart.notBefore()))) {
        start(c);
      }
    }
    writeStatus();
  }

  private void start(Component c) {
    try {
      if (!Files.isDirectory(c.workdir())) {
        PrivateFiles.directory(c.workdir());
        user.own(c.workdir());
      }
      ProcessBuilder pb =
          new ProcessBuilder(user.wrap(c.command()))
              .directory(c.workdir().toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(c.log().toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().putAll(c.env());
      Process p = pb.start();
      running.put(c.name(), new Running(c, p, Instant.now()));
      PrivateFiles.write(layout.runDir().resolve(c.name() + ".pid"), p.pid() + "\n");
      log("started " + c.name() + " (pid " + p.pid() + ")");
    } catch (IOException | RuntimeException e) {
      Restart previous = restarts.get(c.name());
      Duration backoff =
          previous == null
              ? Duration.ofSeconds(1)
              : min(previous.backoff().multipliedBy(2), MAX_BACKOFF);
      restarts.put(
          c.name(),
          new Restart(
              previous == null ? 1 : previous.count() + 1,
              Instant.now().plus(backoff),
              backoff,
              "could not start: " + e.getMessage()));
      log("could not start " + c.name() + ": " + e.getMessage());
    }
  }

  /** Points each pooler at the primary (master) or the least-lagging running replica (replica). */
  private void routePoolers(LocalState state) {
    boolean anyPooler = state.masterPooler().enabled() || state.replicaPooler().enabled();
    if (!anyPooler
        || Duration.between(lastRouting, Instant.now()).compareTo(Duration.ofSeconds(1)) < 0) {
      return;
    }
    lastRouting = Instant.now();
    List<ClusterMember> members = LocalPatroni.clusterView(state).orElse(List.of());
    Optional<ClusterMember> leader =
        members.stream().filter(m -> m.role() == PatroniRole.LEADER).findFirst();
    Optional<ClusterMember> replica =
        members.stream()
            .filter(
                m ->
                    m.role() != PatroniRole.LEADER
                        && m.isStreamingOrRunning()
                        && m.lag().isPresent())
            .min(Comparator.comparingLong(ClusterMember::lagOrMax));
    route(state, PoolerRole.MASTER, leader);
    route(state, PoolerRole.REPLICA, replica.or(() -> leader));
  }

  private void route(LocalState state, PoolerRole role, Optional<ClusterMember> target) {
    String name = "pooler-" + role.id();
    if (!role.of(state).enabled() || target.isEmpty()) {
      return;
    }
    int port = target.get().port();
    Path file = PgBouncerConfig.databases(layout, role);
    if (!Integer.valueOf(port).equals(routedPorts.get(name)) || !Files.exists(file)) {
      PrivateFiles.write(file, PgBouncerConfig.routing(port));
      user.own(file);
      routedPorts.put(name, port);
      reloadPending.put(name, true);
      log(name + " routes to " + target.get().name() + " (port " + port + ")");
    }
    Running r = running.get(name);
    // PgBouncer dies of a SIGHUP that comes before it installed its handlers; a fresh one reads the
    // file anyway.
    if (Boolean.TRUE.equals(reloadPending.get(name))
        && r != null
        && r.process().isAlive()
        && Duration.between(r.started(), Instant.now()).compareTo(Duration.ofSeconds(2)) > 0) {
      signal(r.process().pid(), "HUP");
      reloadPending.put(name, false);
    } else if (r == null) {
      reloadPending.put(name, false);
    }
  }

  private void writeStatus() {
    ObjectNode status = JSON.createObjectNode();
    status.put("supervisorPid", ProcessHandle.current().pid());
    ObjectNode components = status.putObject("components");
    for (String name : unionOfNames()) {
      ObjectNode c = components.putObject(name);
      Running r = running.get(name);
      c.put("running", r != null && r.process().isAlive());
      if (r != null) {
        c.put("pid", r.process().pid());
      }
      Restart restart = restarts.get(name);
      c.put("restarts", restart == null ? 0 : restart.count());
      if (restart != null) {
        c.put("lastExit", restart.lastExit());
      }
    }
    String text = status.toPrettyString();
    Path file = layout.runDir().resolve("status.json");
    try {
      if (!Files.exists(file) || !Files.readString(file).equals(text)) {
        PrivateFiles.write(file, text);
      }
    } catch (IOException e) {
      log("cannot write " + file + ": " + e.getMessage());
    }
  }

  private List<String> unionOfNames() {
    List<String> names = new ArrayList<>(running.keySet());
    restarts.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
    return names;
  }

  /**
   * Poolers and exporter first, then replicas, then the primary (no needless failover), then etcd
   * last.
   */
  void stopAll() {
    List<Running> order = new ArrayList<>();
    running.values().stream()
        .filter(
            r ->
                r.spec().kind() == Component.Kind.POOLER
                    || r.spec().kind() == Component.Kind.EXPORTER)
        .forEach(order::add);
    String leader =
        LocalState.read(layout)
            .flatMap(LocalPatroni::clusterView)
            .flatMap(
                v ->
                    v.stream()
                        .filter(m -> m.role() == PatroniRole.LEADER)
                        .map(ClusterMember::name)
                        .findFirst())
            .orElse(null);
    running.values().stream()
        .filter(r -> r.spec().kind() == Component.Kind.MEMBER && !r.spec().name().equals(leader))
        .forEach(order::add);
    running.values().stream().filter(r -> r.spec().name().equals(leader)).forEach(order::add);
    running.values().stream()
        .filter(r -> r.spec().kind() == Component.Kind.ETCD)
        .forEach(order::add);
    for (Running r : order) {
      log("stopping " + r.spec().name());
      stop(r);
    }
    running.clear();
  }

  private void stop(Running r) {
    terminate(r.process().toHandle());
    if (r.spec().kind() == Component.Kind.MEMBER) {
      stopPostmaster(r.spec().name());
    }
    try {
      Files.deleteIfExists(layout.runDir().resolve(r.spec().name() + ".pid"));
    } catch (IOException e) {
      // a stale pid file is checked against the command line before use
    }
  }

  /**
   * Processes a killed supervisor left running: recognised by pid file and exact command line, then
   * stopped.
   */
  /**
   * What {@code down} does when the supervisor is gone (killed, crashed): stops the processes its
   * pid files name and postmasters that outlived their Patroni, so that nothing of the cluster
   * keeps running.
   */
  public static void stopLeftovers(LocalLayout layout, RuntimeUser user) {
    Supervisor s = new Supervisor(layout, user);
    s.stopStrays();
    LocalState.read(layout)
        .ifPresent(state -> state.members().forEach(m -> s.stopPostmaster(m.name())));
  }

  private void stopStrays() {
    Optional<LocalState> state = LocalState.read(layout);
    if (state.isEmpty() || !Files.isDirectory(layout.runDir())) {
      return;
    }
    Map<String, Component> known =
        Components.of(state.get(), layout, LocalCredentials.load(layout));
    try (var files = Files.list(layout.runDir())) {
      for (Path pidFile : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
        String name = pidFile.getFileName().toString().replaceFirst("\\.pid$", "");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        Component c = known.get(name);
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (c != null
            && handle.isPresent()
            && handle.get().isAlive()
            && sameCommand(handle.get(), c)) {
          log("stopping " + name + " (pid " + pid + ") left over from a previous supervisor");
          terminate(handle.get());
        }
        Files.deleteIfExists(pidFile);
      }
    } catch (IOException | NumberFormatException e) {
      log("cannot check for left-over processes: " + e.getMessage());
    }
  }

  /**
   * Whether a live process runs a component's command: the same arguments, and the same program —
   * named as argv[0], or, for a script like Patroni, as the interpreter's first argument ({@code
   * python3 /usr/bin/patroni …}).
   */
  static boolean sameCommand(List<String> argv, List<String> command) {
    if (argv.isEmpty() || argv.size() < command.size()) {
      return false;
    }
    List<String> args = command.subList(1, command.size());
    boolean sameArgs = argv.subList(argv.size() - args.size(), argv.size()).equals(args);
    String program = command.get(0);
    String name = Path.of(program).getFileName().toString();
    boolean sameProgram =
        argv.subList(0, argv.size() - args.size()).contains(program)
            || Path.of(argv.get(0)).getFileName().toString().equals(name);
    return sameArgs && sameProgram;
  }

  private static boolean sameCommand(ProcessHandle h, Component c) {
    return sameCommand(ProcessCommandLine.of(h.pid()), c.command());
  }

  /**
   * Patroni daemonises PostgreSQL, and a Patroni stopped in the middle of a demotion leaves it
   * running: after an intentional stop, a postmaster still serving the member's data directory gets
   * a fast shutdown. (After a crash it is left alone: the restarted Patroni takes it over.)
   */
  private void stopPostmaster(String member) {
    Path pidFile = layout.dataDir(member).resolve("postmaster.pid");
    try {
      if (!Files.exists(pidFile)) {
        return;
      }
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
      Optional<ProcessHandle> postmaster = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      if (postmaster.isPresent()
          && ProcessCommandLine.of(pid).contains(layout.dataDir(member).toString())) {
        log("stopping " + member + "'s PostgreSQL (pid " + pid + "), which outlived Patroni");
        signal(pid, "INT");
        try {
          postmaster.get().onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          signal(pid, "QUIT");
        }
      }
    } catch (IOException | RuntimeException e) {
      log("cannot check " + pidFile + ": " + e.getMessage());
    }
  }

  static void terminate(ProcessHandle h) {
    h.destroy();
    try {
      h.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      h.descendants().forEach(ProcessHandle::destroyForcibly);
      h.destroyForcibly();
    }
  }

  private void signal(long pid, String signal) {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
          .start()
          .waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      log("cannot signal " + pid + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void log(String message) {
    System.out.println(
        LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + " " + message);
    System.out.flush();
  }
}
