package dev.resolute.examples;

import dev.resolute.examples.approval.ExpenseApproval;
import dev.resolute.examples.cart.ShoppingCart;
import dev.resolute.examples.greeter.Greeter;
import dev.resolute.examples.mailbox.Mailbox;
import dev.resolute.examples.saga.Reservations;
import dev.resolute.examples.saga.TripBooking;
import dev.resolute.examples.signup.UserSignup;
import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.http.ResoluteHttpServer;

/**
 * Serves every example on port 9080 (or {@code $PORT}); register it with {@code POST
 * :9070/deployments}.
 */
public final class ExamplesApp {
  private ExamplesApp() {}

  public static Endpoint endpoint() {
    return Endpoint.bind(new Greeter())
        .bind(new ShoppingCart())
        .bind(new UserSignup())
        .bind(new Mailbox())
        .bind(new TripBooking())
        .bind(new Reservations())
        .bind(new ExpenseApproval())
        .build();
  }

  public static void main(String[] args) {
    int port = ResoluteHttpServer.listen(endpoint());
    System.out.println("examples listening on :" + port);
  }
}
