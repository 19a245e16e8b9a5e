package dev.cornac.operator.health;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.function.BooleanSupplier;

/**
 * The operator's HTTP endpoints on {@code api_port}: {@code /healthz} (liveness: the informers are healthy) and
 * {@code /readyz/} (readiness, upstream's path and "OK" body: the caches have synced). The operator API of
 * upstream's {@code pkg/apiserver} joins them here.
 */
public final class OperatorHttpServer implements AutoCloseable {
  private final Javalin app;

  public OperatorHttpServer(String host, int port, BooleanSupplier live, BooleanSupplier ready) {
    app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.routes.get("/healthz", ctx -> answer(ctx, live.getAsBoolean()));
      config.routes.get("/readyz", ctx -> answer(ctx, ready.getAsBoolean()));
      config.routes.get("/readyz/", ctx -> answer(ctx, ready.getAsBoolean()));
    });
    app.start(host, port);
  }

  private static void answer(Context ctx, boolean ok) {
    ctx.contentType("application/json");
    ctx.status(ok ? 200 : 503);
    ctx.result(ok ? "\"OK\"" : "{\"error\": \"not ready\"}");
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
