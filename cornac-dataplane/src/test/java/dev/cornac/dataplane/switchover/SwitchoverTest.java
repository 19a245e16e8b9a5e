package dev.cornac.dataplane.switchover;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.dataplane.patroni.PatroniRole;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one reading of Patroni's answers to a switchover, the candidate rule and the demotion rule.
 */
class SwitchoverTest {
  HttpServer server;
  final AtomicInteger status = new AtomicInteger(200);
  final AtomicReference<String> body =
      new AtomicReference<>("Successfully switched over to \"a-1\"");
  final AtomicReference<String> received = new AtomicReference<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  PatroniClient patroni() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/switchover",
        exchange -> {
          received.set(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status.get(), bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    return PatroniClient.of("127.0.0.1", server.getAddress().getPort());
  }

  @Test
  void patronisAnswersAreReadOnce() throws IOException {
    PatroniClient leader = patroni();
    assertThat(Switchover.request(leader, "a-0", "a-1", Optional.empty()))
        .isEqualTo(new Switchover.Done("Successfully switched over to \"a-1\""));
    assertThat(received.get()).contains("\"leader\":\"a-0\"", "\"candidate\":\"a-1\"");

    status.set(412);
    body.set("candidate name does not match with sync_standby");
    assertThat(Switchover.request(leader, "a-0", "a-1", Optional.empty()))
        .isInstanceOf(Switchover.NotYet.class);
    status.set(503);
    body.set("Switchover failed");
    assertThat(Switchover.request(leader, "a-0", "a-1", Optional.empty()))
        .isInstanceOf(Switchover.NotYet.class);
    status.set(400);
    body.set("Failover could be performed only to a specific candidate");
    assertThat(Switchover.request(leader, "a-0", "a-1", Optional.empty()))
        .isInstanceOfSatisfying(
            Switchover.Failed.class, f -> assertThat(f.reason()).contains("HTTP 400"));
  }

  @Test
  void anUnreachableLeaderIsNotYet() {
    assertThat(Switchover.request(PatroniClient.of("127.0.0.1", 1), "a-0", "a-1", Optional.empty()))
        .isInstanceOf(Switchover.NotYet.class);
  }

  static ClusterMember member(String name, PatroniRole role, String state, long lag) {
    return new ClusterMember(
        name, role, state, "", 5432, "", OptionalInt.of(2), OptionalLong.of(lag), false);
  }

  @Test
  void theCandidateIsTheLeastLaggingAllowedReplica() {
    List<ClusterMember> view =
        List.of(
            member("a-0", PatroniRole.LEADER, "running", 0),
            member("a-1", PatroniRole.REPLICA, "streaming", 10),
            member("a-2", PatroniRole.REPLICA, "streaming", 5));
    assertThat(Switchover.candidate(view, false, m -> true)).contains("a-2");
    assertThat(Switchover.candidate(view, false, m -> !m.equals("a-2"))).contains("a-1");
    assertThat(Switchover.candidate(view, true, m -> true))
        .as("synchronous mode without a sync standby")
        .isEmpty();
  }

  @Test
  void aSwitchoverIsSettledOnceTheOldLeaderFollows() {
    assertThat(
            Switchover.settled(
                List.of(
                    member("a-0", PatroniRole.REPLICA, "stopping", 0),
                    member("a-1", PatroniRole.LEADER, "running", 0)),
                "a-0",
                "a-1"))
        .isFalse();
    assertThat(
            Switchover.settled(
                List.of(
                    member("a-0", PatroniRole.REPLICA, "streaming", 0),
                    member("a-1", PatroniRole.LEADER, "running", 0)),
                "a-0",
                "a-1"))
        .isTrue();
  }
}
