package dev.cornac.generators;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the generators need from objects they do not own: the data of {@code
 * pod_environment_configmap} and the keys of {@code pod_environment_secret}. The operator reads
 * them from its caches; offline rendering has none.
 */
public record PodEnvironmentSources(
    SortedMap<String, String> configMapData, SortedSet<String> secretKeys) {
  public static final PodEnvironmentSources NONE =
      new PodEnvironmentSources(new TreeMap<>(), new TreeSet<>());

  public static PodEnvironmentSources of(
      Map<String, String> configMapData, Set<String> secretKeys) {
    return new PodEnvironmentSources(new TreeMap<>(configMapData), new TreeSet<>(secretKeys));
  }
}
