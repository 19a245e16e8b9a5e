package dev.cornac.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * One drill's figures: the longest time without an acknowledged commit, for a hang how long until
 * another member led (null otherwise), the acknowledged commits missing afterwards, the writes the
 * old primary acknowledged once another member had been promoted (null: nothing was promoted), and
 * which member leads afterwards.
 */
record DrillResult(
    String variant,
    Drill drill,
    Duration unavailable,
    Duration promotedAfter,
    int acknowledged,
    int lost,
    Integer oldPrimaryWrites,
    String leaderBefore,
    String leaderAfter,
    boolean rewound) {

  String row() {
    return "| "
        + variant
        + " | "
        + drill.label
        + " | "
        + seconds(unavailable)
        + " | "
        + (promotedAfter == null ? "-" : seconds(promotedAfter))
        + " | "
        + lost
        + " of "
        + acknowledged
        + " | "
        + (oldPrimaryWrites == null ? "n/a (no promotion)" : oldPrimaryWrites.toString())
        + " | "
        + (leaderBefore.equals(leaderAfter)
            ? "same (" + suffix(leaderAfter) + ")"
            : suffix(leaderBefore) + " → " + suffix(leaderAfter))
        + (rewound ? ", old primary rewound" : "")
        + " |";
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.2f", d.toMillis() / 1000.0);
  }

  private static String suffix(String member) {
    return member.substring(member.lastIndexOf('-') + 1);
  }
}
