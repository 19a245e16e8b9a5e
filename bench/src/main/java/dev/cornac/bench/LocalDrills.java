package dev.cornac.bench;

import dev.cornac.local.LocalRuntime;
import dev.cornac.local.PostgresInstallation;
import dev.cornac.local.RuntimeUser;
import dev.cornac.testkit.drill.DrillManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The local runtime's failure drills (docs/performance.md "Failover drills"): for each DCS timing
 * and synchronous setting, a 2-member cluster brought up with {@code cornac local}'s own code, then
 * every {@link Drill} run against it with a writer, and one table of what the writer saw.
 *
 * <p>Arguments: the PostgreSQL major version to run, then optionally the variants to run (default:
 * all), e.g. {@code default/async tuned/sync-strict}.
 */
public final class LocalDrills {
  /** A DCS timing: what the manifest's patroni section says (nothing: the local defaults). */
  record Timing(String name, String shortName, String patroni) {}

  /** A synchronous setting, as the manifest's patroni section says it. */
  record Sync(String name, String shortName, String patroni, boolean synchronous) {}

  static final List<Timing> TIMINGS =
      List.of(
          new Timing("default", "d", ""),
          new Timing("tuned", "t", "ttl: 5, loop_wait: 1, retry_timeout: 2"));
  static final List<Sync> SYNCS =
      List.of(
          new Sync("async", "a", "", false),
          new Sync("sync", "s", "synchronous_mode: true", true),
          new Sync(
              "sync-strict", "ss", "synchronous_mode: true, synchronous_mode_strict: true", true));

  private LocalDrills() {}

  public static void main(String[] args) throws Exception {
    String version = args[0];
    List<String> only = List.of(args).subList(1, args.length);
    Path home = Files.createTempDirectory("cornac-drills-");
    // Under root the processes run as postgres, which must be able to enter the home.
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    LocalRuntime runtime =
        new LocalRuntime(home, RuntimeUser.current(), PostgresInstallation.system(), System.err);
    List<DrillResult> results = new ArrayList<>();
    long started = System.nanoTime();
    try {
      for (Timing t : TIMINGS) {
        for (Sync s : SYNCS) {
          String variant = t.name() + "/" + s.name();
          if (only.isEmpty() || only.contains(variant)) {
            results.addAll(variant(runtime, home, version, t, s));
          }
        }
      }
    } finally {
      deleteTree(home);
    }
    System.out.println();
    System.out.println(
        "| timings/sync | drill | s without an acknowledged commit | s until another member led "
            + "| acknowledged commits lost | old primary's writes after the promotion | primary |");
    System.out.println("|---|---|---|---|---|---|---|");
    results.forEach(r -> System.out.println(r.row()));
    System.out.println();
    System.out.println(
        "timings: default = the local runtime's (ttl 7, loop_wait 1, retry_timeout 3); tuned = "
            + TIMINGS.get(1).patroni()
            + ". sync = synchronous_mode; sync-strict = with synchronous_mode_strict. 2 members, "
            + "a writer committing every 20 ms with a 1 s socket timeout.");
    System.out.printf(
        "machine: %d cores, Java %s, PostgreSQL %s; %.0f s in all%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.version(),
        version,
        (System.nanoTime() - started) / 1e9);
  }

  private static List<DrillResult> variant(
      LocalRuntime runtime, Path home, String version, Timing t, Sync s) throws Exception {
    // Short: PostgreSQL's socket path (home/name/members/name-N/.s.PGSQL.port) must stay under 108
    // bytes.
    String name = "drill-" + t.shortName() + "-" + s.shortName();
    Path manifest = home.resolve(name + ".yaml");
    String patroni =
        String.join(", ", Stream.of(t.patroni(), s.patroni()).filter(p -> !p.isEmpty()).toList());
    Files.writeString(manifest, DrillManifest.twoMembers(name, "drill", version, patroni));
    BenchReport.progress(
        "bringing up " + name + " (" + t.name() + "/" + s.name() + ", patroni: {" + patroni + "})");
    List<DrillResult> results = new ArrayList<>();
    try {
      runtime.up(new LocalRuntime.ApplyOptions(manifest, null, null));
      DrillCluster cluster = new DrillCluster(name, runtime, s.synchronous());
      for (Drill d : Drill.values()) {
        DrillResult r = DrillRunner.run(cluster, t.name() + "/" + s.name(), d);
        BenchReport.progress(r.row());
        results.add(r);
      }
    } finally {
      BenchReport.progress(runtime.down(name, true));
    }
    return results;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
