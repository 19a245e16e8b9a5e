package dev.cornac.testkit;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fills the {@link StrictApiServer} fields of a test instance before each test and closes them
 * after it.
 */
public final class StrictApiServerExtension implements BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(StrictApiServer.class);

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    Object test = context.getRequiredTestInstance();
    List<StrictApiServer> started = new ArrayList<>();
    for (Class<?> c = test.getClass(); c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.getType() == StrictApiServer.class) {
          StrictApiServer server = new StrictApiServer();
          started.add(server);
          f.setAccessible(true);
          f.set(test, server);
        }
      }
    }
    context.getStore(STORE).put("servers", started);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    @SuppressWarnings("unchecked")
    List<StrictApiServer> started = context.getStore(STORE).remove("servers", List.class);
    if (started != null) {
      started.forEach(StrictApiServer::close);
    }
  }
}
