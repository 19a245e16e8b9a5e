package dev.cornac.operator.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.function.BooleanSupplier;

/**
 * The operator's HTTP endpoints on {@code api_port}: {@code /healthz} (liveness: the informers are
 * healthy) and {@code /readyz/} (readiness, upstream's path and "OK" body: the caches have synced),
 * upstream's operator API ({@link OperatorApi}) and {@code /metrics} ({@link OperatorMetrics}).
 */
public final class OperatorHttpServer implements AutoCloseable {
  private final Javalin app;

  public OperatorHttpServer(
      String host,
      int port,
      BooleanSupplier live,
      BooleanSupplier ready,
      OperatorApi api,
      OperatorMetrics metrics) {
    app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.router.ignoreTrailingSlashes = true;
              api.routes(config.routes);
              config.routes.get(
                  "/metrics",
                  ctx ->
                      ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                          .result(metrics.scrape()));
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
