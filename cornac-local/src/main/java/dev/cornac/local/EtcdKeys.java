package dev.cornac.local;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The few etcd calls the runtime makes itself, on the v2 API Patroni uses (PatroniConfigFile). */
final class EtcdKeys {
  private EtcdKeys() {}

  /**
   * Forgets a member that was stopped for good. Patroni leaves its key to expire with the TTL;
   * deleting it makes a scale-down visible at once instead of a TTL later.
   */
  static void deleteMember(LocalState state, String member) {
    String key =
        "/v2/keys/service/"
            + URLEncoder.encode(state.name(), StandardCharsets.UTF_8)
            + "/members/"
            + URLEncoder.encode(member, StandardCharsets.UTF_8);
    try {
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .build()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + state.etcdClientPort() + key))
                  .timeout(Duration.ofSeconds(5))
                  .DELETE()
                  .build(),
              HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      // the key expires with Patroni's TTL anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
