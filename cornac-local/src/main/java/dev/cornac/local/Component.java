package dev.cornac.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One process the supervisor keeps running: how to start it and where its output goes. */
public record Component(
    String name, Kind kind, List<String> command, Path workdir, Map<String, String> env, Path log) {
  public enum Kind {
    ETCD,
    MEMBER,
    POOLER,
    EXPORTER
  }

  public Component {
    command = List.copyOf(command);
    env = Map.copyOf(env);
  }
}
