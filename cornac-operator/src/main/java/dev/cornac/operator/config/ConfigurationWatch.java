package dev.cornac.operator.config;

import dev.cornac.api.config.ConfigException;
import dev.cornac.api.model.OperatorConfiguration;
import dev.cornac.operator.events.EventRecorder;
import dev.cornac.operator.rolling.RollingUpdateSlots;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the object the configuration comes from (the ConfigMap or the OperatorConfiguration) and
 * hands on every change that reads and validates; a change that does not is refused as a whole —
 * the running configuration stays, the reason goes to the log, an Event on the object and {@link
 * ConfigurationStatus}.
 */
public final class ConfigurationWatch implements AutoCloseable {
  public static final String REFUSED = "ConfigurationRefused";
  private static final Logger LOG = LoggerFactory.getLogger(ConfigurationWatch.class);

  private final KubernetesClient client;
  private final OperatorEnvironment env;
  private final ConfigurationStatus status;
  private final EventRecorder events;
  private final Clock clock;
  private final Consumer<OperatorConfigLoader.Loaded> onChange;
  private final Runnable onResume;

  /** The value of the resume annotation last seen: a new one resumes paused rolling updates. */
  private volatile String lastResume;

  /**
   * The content last handled (applied or refused): a resync or a change elsewhere in the object is
   * no change.
   */
  private volatile Object lastContent;

  private SharedIndexInformer<? extends HasMetadata> informer;

  public ConfigurationWatch(
      KubernetesClient client,
      OperatorEnvironment env,
      OperatorConfigLoader.Loaded running,
      ConfigurationStatus status,
      EventRecorder events,
      Clock clock,
      Consumer<OperatorConfigLoader.Loaded> onChange,
      Runnable onResume) {
    this.client = client;
    this.env = env;
    this.status = status;
    this.events = events;
    this.clock = clock;
    this.onChange = onChange;
    this.onResume = onResume;
    this.lastContent = running.content();
    this.lastResume = running.object().map(ConfigurationWatch::resumeValue).orElse(null);
  }

  /** Starts watching; nothing to watch when the configuration is the code's defaults. */
  public void start() {
    if (env.operatorConfigurationObject().isPresent()) {
      informer =
          client
              .resources(OperatorConfiguration.class)
              .inNamespace(env.operatorNamespace())
              .withName(env.operatorConfigurationObject().get())
              .inform(handler());
    } else if (env.configMapName().isPresent()) {
      var name = OperatorConfigLoader.configMap(env);
      informer =
          client
              .configMaps()
              .inNamespace(name.namespaceOr(env.operatorNamespace()))
              .withName(name.name())
              .inform(handler());
    }
  }

  private <T extends HasMetadata> ResourceEventHandler<T> handler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        changed(object);
      }

      @Override
      public void onUpdate(T before, T after) {
        changed(after);
      }

      @Override
      public void onDelete(T object, boolean finalStateUnknown) {
        LOG.warn(
            "the operator configuration {}/{} was deleted; the running configuration (revision {}) stays",
            object.getMetadata().getNamespace(),
            object.getMetadata().getName(),
            status.revision());
      }
    };
  }

  private synchronized void changed(HasMetadata object) {
    String resume = resumeValue(object);
    if (resume != null && !resume.equals(lastResume)) {
      lastResume = resume;
      LOG.info("{}={}: rolling updates resume", RollingUpdateSlots.RESUME_ANNOTATION, resume);
      onResume.run();
    }
    OperatorConfigLoader.Loaded next;
    try {
      next = OperatorConfigLoader.of(object, env);
    } catch (ConfigException e) {
      Object content = OperatorConfigLoader.content(object);
      if (Objects.equals(content, lastContent)) {
        return;
      }
      lastContent = content;
      String revision = object.getMetadata().getResourceVersion();
      String reason =
          "configuration revision "
              + revision
              + " is refused, the running one (revision "
              + status.revision()
              + ") stays: "
              + e.getMessage();
      LOG.warn(reason);
      status.refused(revision, e.getMessage(), clock.instant());
      events.warning(object, REFUSED, reason);
      return;
    }
    if (Objects.equals(next.content(), lastContent)) {
      return;
    }
    lastContent = next.content();
    next.config().warnings().forEach(w -> LOG.warn("configuration: {}", w));
    onChange.accept(next);
  }

  private static String resumeValue(HasMetadata object) {
    var annotations = object.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(RollingUpdateSlots.RESUME_ANNOTATION);
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
