package dev.resolute.examples.saga;

import dev.resolute.common.Request;
import dev.resolute.common.Target;
import dev.resolute.sdk.Context;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.Service;
import dev.resolute.sdk.common.TerminalException;
import dev.resolute.serde.TypeTag;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A saga: reserve each booking of a trip in turn; when one fails terminally, undo the ones already
 * made in reverse order, then fail the trip terminally. Cancelling the trip is the same: the
 * pending call fails with a terminal error (the cancellation reaches the callee too, freeing its
 * lock), and the compensations run. The undo steps are durable calls, so a crash in the middle of
 * compensating resumes compensating; they must not fail terminally themselves.
 */
@Service
public class TripBooking {

  @Handler
  public String book(Context ctx, TripRequest trip) {
    Deque<String> reserved = new ArrayDeque<>();
    try {
      for (String booking : trip.bookings()) {
        call(ctx, trip.tripId(), "reserve", booking);
        reserved.push(booking);
      }
      return "booked " + trip.tripId() + ": " + String.join(", ", trip.bookings());
    } catch (TerminalException e) {
      while (!reserved.isEmpty()) {
        call(ctx, trip.tripId(), "cancel", reserved.pop());
      }
      throw new TerminalException(
          e.getCode(), "trip " + trip.tripId() + " failed and was rolled back: " + e.getMessage());
    }
  }

  private static void call(Context ctx, String tripId, String handler, String booking) {
    ctx.call(
            Request.of(
                Target.virtualObject("Reservations", tripId, handler),
                TypeTag.of(String.class),
                TypeTag.of(Void.class),
                booking))
        .await();
  }
}
