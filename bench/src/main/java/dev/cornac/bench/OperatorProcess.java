package dev.cornac.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
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
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(shippedJvmFlags(repo));
    cmd.add("-XX:MaxRAM=" + CONTAINER_MEMORY_LIMIT);
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

  /** RSS from /proc and the heap from jcmd. */
  String memory() throws IOException, InterruptedException {
    long pid = process.pid();
    String rss =
        Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
            .filter(l -> l.startsWith("VmRSS:"))
            .findFirst()
            .orElse("VmRSS: ? kB")
            .replaceAll("\\s+", " ");
    long rssKb = Long.parseLong(rss.replaceAll("[^0-9]", ""));
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid),
                "GC.heap_info")
            .redirectErrorStream(true)
            .start();
    String heap = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor();
    Matcher used = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(heap);
    long totalKb = 0;
    long usedKb = 0;
    while (used.find()) {
      totalKb += Long.parseLong(used.group(1));
      usedKb += Long.parseLong(used.group(2));
    }
    long liveKb = liveHeapKb(pid);
    String heapText =
        String.format(
            "heap %d MiB used of %d MiB committed, %d MiB live after a full GC",
            usedKb / 1024, totalKb / 1024, liveKb / 1024);
    Process max =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid),
                "VM.flags")
            .redirectErrorStream(true)
            .start();
    String flags = new String(max.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    max.waitFor();
    Matcher mx = Pattern.compile("MaxHeapSize=(\\d+)").matcher(flags);
    String cap =
        mx.find() ? String.format(" (cap %d MiB)", Long.parseLong(mx.group(1)) / 1024 / 1024) : "";
    if (System.getenv("BENCH_EXTRA_JVM_FLAGS") != null
        && System.getenv("BENCH_EXTRA_JVM_FLAGS").contains("NativeMemoryTracking")) {
      Process nmt =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  String.valueOf(pid),
                  "VM.native_memory",
                  "summary")
              .redirectErrorStream(true)
              .start();
      System.err.println(new String(nmt.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      nmt.waitFor();
    }
    return String.format("RSS %d MiB (goal ≤ 200), %s%s", rssKb / 1024, heapText, cap);
  }

  /** CPU seconds the operator process has used (user + system), from /proc. */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }

  /** Forces a full GC in the operator and reads what stays: the live set its caches need. */
  private static long liveHeapKb(long pid) throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    new ProcessBuilder(jcmd, String.valueOf(pid), "GC.run")
        .redirectErrorStream(true)
        .start()
        .waitFor();
    Process info =
        new ProcessBuilder(jcmd, String.valueOf(pid), "GC.heap_info")
            .redirectErrorStream(true)
            .start();
    String text = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    info.waitFor();
    if (System.getenv("BENCH_HISTOGRAM") != null) {
      Process histo =
          new ProcessBuilder(jcmd, String.valueOf(pid), "GC.class_histogram")
              .redirectErrorStream(true)
              .start();
      new String(histo.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .limit(25)
          .forEach(System.err::println);
      histo.waitFor();
    }
    Matcher m = Pattern.compile("generation +total \\d+K, used (\\d+)K").matcher(text);
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
