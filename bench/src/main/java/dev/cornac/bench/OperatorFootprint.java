package dev.cornac.bench;

/**
 * The operator's memory at one moment: what the kernel charges it (RSS, the figure a container
 * limit applies to), the heap as committed and as live after a full GC, metaspace, and threads.
 */
record OperatorFootprint(
    long rssKb,
    long heapUsedKb,
    long heapCommittedKb,
    long liveHeapKb,
    long metaspaceKb,
    int threads,
    long heapCapKb) {

  /** The goal of issue 20 at 1000 clusters; the report says it next to the figure. */
  static final long RSS_GOAL_MIB_AT_1000 = 160;

  String describe() {
    return String.format(
        "RSS %d MiB, heap %d MiB live after a full GC (%d MiB used of %d MiB committed, cap %d MiB),"
            + " metaspace %d MiB, %d threads",
        mib(rssKb),
        mib(liveHeapKb),
        mib(heapUsedKb),
        mib(heapCommittedKb),
        mib(heapCapKb),
        mib(metaspaceKb),
        threads);
  }

  /** What the clusters between {@code before} and this one cost, per 1000 clusters. */
  String perThousandSince(OperatorFootprint before, int clustersBefore, int clustersNow) {
    double thousands = (clustersNow - clustersBefore) / 1000.0;
    return String.format(
        "RSS %+.1f MiB, live heap %+.1f MiB, metaspace %+.1f MiB, threads %+.1f per 1000 clusters",
        (rssKb - before.rssKb) / 1024.0 / thousands,
        (liveHeapKb - before.liveHeapKb) / 1024.0 / thousands,
        (metaspaceKb - before.metaspaceKb) / 1024.0 / thousands,
        (threads - before.threads) / thousands);
  }

  private static long mib(long kb) {
    return Math.round(kb / 1024.0);
  }
}
