package dev.cornac.bench;

/** The failures a local cluster is drilled with, each while a writer runs. */
enum Drill {
  SWITCHOVER("switchover", "cornac local switchover"),
  CRASH("crash", "kill -9 of the primary's Patroni and PostgreSQL; the supervisor restarts them"),
  HANG(
      "hang, resumed",
      "SIGSTOP of all the primary's processes until a replica leads, then SIGCONT"),
  NODE_LOSS(
      "hang, killed", "SIGSTOP of all the primary's processes until a replica leads, then SIGKILL");

  final String label;
  final String how;

  Drill(String label, String how) {
    this.label = label;
    this.how = how;
  }
}
