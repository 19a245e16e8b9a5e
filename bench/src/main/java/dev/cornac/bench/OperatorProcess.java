package dev.cornac.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator as its own process, started as shipped: the Dockerfile's JAVA_TOOL_OPTIONS and the
 * Deployment's 500Mi memory limit (emulated with -XX:MaxRAM, which is what the JVM reads from the
 * container's cgroup).
 */
final class OperatorProcess {
  /** The Deployment's memory limit (manifests/postgres-operator.yaml, the chart's values). */
  static final String CONTAINER_MEMORY_LIMIT = "500m";

  private final Process process;
  private final int httpPort;
  private final Instant started;

  private OperatorProcess(Process process, int httpPort, Instant started) {
    this.process = process;
    this.httpPort = httpPort;
    this.started = started;
  }

  static OperatorProcess start(Path repo, KubernetesMockServer server, int httpPort)
      throws IOException {
    Path kubeconfig = Files.createTempFile("bench-kubeconfig", ".yaml");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "https://localhost:%d", insecure-skip-tls-verify: true}}]
        users: [{name: bench, user: {token: bench}}]
        contexts: [{name: mock, context: {cluster: mock, user: bench, namespace: default}}]
        current-context: mock
        """
            .formatted(server.getPort()));
    List<String> cmd = new ArrayList<>(pinning());
    cmd.add(operatorJavaHome().resolve("bin/java").toString());
    cmd.addAll(shippedJvmFlags(repo));
    cmd.add("-XX:MaxRAM=" + memoryLimit());
    // Diagnostics only (e.g. -XX:NativeMemoryTracking=summary); the report always names the shipped
    // flags.
    String extra = System.getenv("BENCH_EXTRA_JVM_FLAGS");
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(List.of(extra.trim().split("\\s+")));
    }
    cmd.add("-cp");
    cmd.add(
        repo.resolve("cornac-cli/target/cornac-cli.jar")
            + ":"
            + repo.resolve("cornac-cli/target/lib")
            + "/*");
    cmd.add("dev.cornac.cli.Main");
    cmd.add("operator");
    cmd.add("--kubeconfig");
    cmd.add(kubeconfig.toString());
    cmd.add("--listen");
    cmd.add("127.0.0.1");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(
                    repo.resolve("bench/target/operator.log").toFile()));
    pb.environment().put("CONFIG_MAP_NAME", "postgres-operator");
    pb.environment().put("OPERATOR_NAMESPACE", OperatorScaleBenchmark.NS);
    pb.environment().put("CORNAC_LEADER_ELECTION", "false");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().put("MALLOC_ARENA_MAX", mallocArenas(repo));
    Instant started = Instant.now();
    return new OperatorProcess(pb.start(), httpPort, started);
  }

  /**
   * {@code taskset -c CPUS} when bench/run.sh gives the operator its own cores
   * (BENCH_OPERATOR_CPUS), so that its CPU time and the API server's are not mixed.
   */
  private static List<String> pinning() {
    String cpus = System.getenv("BENCH_OPERATOR_CPUS");
    return cpus == null || cpus.isBlank() ? List.of() : List.of("taskset", "-c", cpus.trim());
  }

  /**
   * The runtime the operator runs on: the benchmark's own unless BENCH_OPERATOR_JAVA names another
   * Java home (to measure a newer JVM for the image without rebuilding).
   */
  static Path operatorJavaHome() {
    String home = System.getenv("BENCH_OPERATOR_JAVA");
    return Path.of(home == null || home.isBlank() ? System.getProperty("java.home") : home);
  }

  /**
   * The container's memory limit the operator runs under: the Deployment's unless
   * BENCH_OPERATOR_MEMORY_LIMIT gives another (docs/day2.md raises it for fleets whose caches
   * outgrow the heap the shipped limit gives).
   */
  static String memoryLimit() {
    String limit = System.getenv("BENCH_OPERATOR_MEMORY_LIMIT");
    return limit == null || limit.isBlank() ? CONTAINER_MEMORY_LIMIT : limit.trim();
  }

  /** Where the operator runs, on which runtime and under which memory limit, for the report. */
  static String placement() {
    String cpus = System.getenv("BENCH_OPERATOR_CPUS");
    String api = System.getenv("BENCH_API_CPUS");
    String runtime = operatorJavaHome().toString();
    return (cpus == null || cpus.isBlank()
            ? "operator and API server share every core"
            : "operator pinned to core " + cpus + ", API server to core " + api)
        + "; operator runtime "
        + runtime
        + ", memory limit "
        + memoryLimit();
  }

  /** The flags of the Dockerfile's JAVA_TOOL_OPTIONS: the benchmark measures what we ship. */
  static List<String> shippedJvmFlags(Path repo) throws IOException {
    Matcher m =
        Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]*)\"")
            .matcher(Files.readString(repo.resolve("Dockerfile")));
    if (!m.find()) {
      throw new IllegalStateException("Dockerfile has no JAVA_TOOL_OPTIONS");
    }
    return List.of(m.group(1).trim().split("\\s+"));
  }

  static String mallocArenas(Path repo) throws IOException {
    Matcher m =
        Pattern.compile("MALLOC_ARENA_MAX=(\\d+)")
            .matcher(Files.readString(repo.resolve("Dockerfile")));
    return m.find() ? m.group(1) : "8";
  }

  Duration awaitReady(Duration timeout) throws InterruptedException {
    Instant deadline = started.plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the operator exited with " + process.exitValue() + "; see bench/target/operator.log");
      }
      if (OperatorScaleBenchmark.ok(httpPort, "/readyz/")) {
        return Duration.between(started, Instant.now());
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the operator was not ready within " + timeout);
  }

  /**
   * RSS and threads from /proc, the heap and metaspace from jcmd (with a full GC first for the live
   * heap).
   */
  OperatorFootprint footprint() throws IOException, InterruptedException {
    long pid = process.pid();
    List<String> status = Files.readAllLines(Path.of("/proc/" + pid + "/status"));
    String heap = jcmd(pid, "GC.heap_info");
    long totalKb = 0;
    long usedKb = 0;
    Matcher used = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(heap);
    while (used.find()) {
      totalKb += Long.parseLong(used.group(1));
      usedKb += Long.parseLong(used.group(2));
    }
    long liveKb = liveHeapKb(pid);
    // "Both: 3240 chunks, 52.30 MB capacity, 51.49 MB ( 98%) committed" in Java 17 and 25 alike.
    Matcher meta =
        Pattern.compile("Both: +\\d+ chunks, +[\\d.]+ [KMG]?B capacity, +([\\d.]+) ([KMG]?B)")
            .matcher(jcmd(pid, "VM.metaspace"));
    Matcher cap = Pattern.compile("MaxHeapSize\\D*(\\d+)").matcher(jcmd(pid, "VM.flags"));
    if (System.getenv("BENCH_EXTRA_JVM_FLAGS") != null
        && System.getenv("BENCH_EXTRA_JVM_FLAGS").contains("NativeMemoryTracking")) {
      System.err.println(jcmd(pid, "VM.native_memory", "summary"));
    }
    return new OperatorFootprint(
        statusKb(status, "VmRSS:"),
        usedKb,
        totalKb,
        liveKb,
        meta.find() ? kilobytes(meta.group(1), meta.group(2)) : 0,
        (int) statusKb(status, "Threads:"),
        cap.find() ? Long.parseLong(cap.group(1)) / 1024 : 0);
  }

  private static long kilobytes(String amount, String unit) {
    double factor =
        switch (unit) {
          case "GB" -> 1024 * 1024;
          case "MB" -> 1024;
          case "KB" -> 1;
          default -> 1.0 / 1024;
        };
    return Math.round(Double.parseDouble(amount) * factor);
  }

  private static long statusKb(List<String> status, String field) {
    return status.stream()
        .filter(l -> l.startsWith(field))
        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
        .findFirst()
        .orElse(0L);
  }

  private static String jcmd(long pid, String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(operatorJavaHome().resolve("bin/jcmd").toString());
    cmd.add(String.valueOf(pid));
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  /**
   * Reconciliation passes the operator has finished, from its metrics (the count of the pass
   * timer).
   */
  long passes() throws IOException, InterruptedException {
    String metrics =
        OperatorScaleBenchmark.http()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m =
        Pattern.compile("(?m)^cornac_reconcile_pass_seconds_count\\S* (\\S+)$").matcher(metrics);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
  }

  /** CPU seconds the operator process has used (user + system), from /proc. */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }

  /** Forces a full GC in the operator and reads what stays: the live set its caches need. */
  private static long liveHeapKb(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    String text = jcmd(pid, "GC.heap_info");
    if (System.getenv("BENCH_HISTOGRAM") != null) {
      jcmd(pid, "GC.class_histogram").lines().limit(25).forEach(System.err::println);
    }
    Matcher m = Pattern.compile("total \\d+K, used (\\d+)K").matcher(text);
    long kb = 0;
    while (m.find()) {
      kb += Long.parseLong(m.group(1));
    }
    return kb;
  }

  void stop() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
