package dev.cornac.api.events;

import io.fabric8.kubernetes.api.model.Event;

/** When an Event happened, whichever of its time fields the API server filled in. */
public final class EventTimes {
  private EventTimes() {}

  public static String of(Event e) {
    if (e.getLastTimestamp() != null) {
      return e.getLastTimestamp();
    }
    if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
      return e.getEventTime().getTime();
    }
    return e.getMetadata().getCreationTimestamp() == null
        ? ""
        : e.getMetadata().getCreationTimestamp();
  }
}
