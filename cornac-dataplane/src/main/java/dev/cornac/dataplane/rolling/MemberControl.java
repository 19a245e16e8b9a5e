package dev.cornac.dataplane.rolling;

import dev.cornac.dataplane.patroni.PatroniClient;
import java.util.List;

/**
 * What a rolling update needs from where the members run: on Kubernetes the pods (recreate = delete the pod and
 * wait for the StatefulSet to bring it back, marks = pod annotations), locally the Patroni processes. One
 * orchestration serves both.
 */
public interface MemberControl {
  List<String> members();

  PatroniClient client(String member);

  boolean isMarkedForRecreation(String member);

  /** Recreates the member (new pod / restarted process) and returns once it has started again. */
  void recreate(String member) throws Exception;
}
