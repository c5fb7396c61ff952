package dev.keyhaven.kms.function.rotation;

import java.util.Map;

/**
 * The members of an EventBridge scheduled event that the rotation function checks (Amazon
 * EventBridge User Guide, "Creating a rule that runs on a schedule": {@code "source":
 * "aws.events"}, {@code "detail-type": "Scheduled Event"}).
 */
record ScheduledEvent(String id, String time) {
  static final String SOURCE = "aws.events";
  static final String DETAIL_TYPE = "Scheduled Event";

  /** The event, or IllegalArgumentException when the payload is not a scheduled event. */
  static ScheduledEvent of(Map<String, Object> event) {
    if (event == null
        || !SOURCE.equals(event.get("source"))
        || !DETAIL_TYPE.equals(event.get("detail-type"))) {
      throw new IllegalArgumentException(
          "not an EventBridge Scheduled Event (source aws.events, detail-type Scheduled Event):"
              + " nothing done");
    }
    return new ScheduledEvent(String.valueOf(event.get("id")), String.valueOf(event.get("time")));
  }
}
