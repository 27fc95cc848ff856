package dev.resolute.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.resolute.client.Client;
import dev.resolute.client.IngressException;
import dev.resolute.client.SendResponse;
import dev.resolute.common.Output;
import dev.resolute.common.Request;
import dev.resolute.common.Target;
import dev.resolute.examples.approval.Expense;
import dev.resolute.examples.approval.ExpenseApproval;
import dev.resolute.examples.cart.CartItem;
import dev.resolute.examples.cart.Receipt;
import dev.resolute.examples.cart.ShoppingCart;
import dev.resolute.examples.greeter.Greeter;
import dev.resolute.examples.mailbox.Mailbox;
import dev.resolute.examples.saga.Reservations;
import dev.resolute.examples.saga.TripBooking;
import dev.resolute.examples.saga.TripRequest;
import dev.resolute.examples.signup.SignupRequest;
import dev.resolute.examples.signup.UserSignup;
import dev.resolute.serde.TypeRef;
import dev.resolute.serde.TypeTag;
import dev.resolute.testing.BindService;
import dev.resolute.testing.IngressClient;
import dev.resolute.testing.ResoluteAdminEndpointURL;
import dev.resolute.testing.ResoluteClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every example, end to end through the ingress. The same tests run against the real restate-server
 * 1.7.12 ({@link ExamplesOnRestateIT}) and the embedded Resolute server ({@link
 * ExamplesOnResoluteIT}); a subclass may only re-tag a test, never change what it checks.
 */
@Timeout(30)
abstract class ExamplesITBase {
  @BindService final Greeter greeter = new Greeter();
  @BindService final ShoppingCart cart = new ShoppingCart();
  @BindService final UserSignup signup = new UserSignup();
  @BindService final Mailbox mailbox = new Mailbox();
  @BindService final TripBooking tripBooking = new TripBooking();
  @BindService final Reservations reservations = new Reservations();
  @BindService final ExpenseApproval approval = new ExpenseApproval();

  static final TypeTag<Map<String, Integer>> ITEMS =
      TypeTag.of(new TypeRef<Map<String, Integer>>() {});
  static final TypeTag<List<String>> STRINGS = TypeTag.of(new TypeRef<List<String>>() {});

  Client client;
  IngressClient raw;

  @BeforeEach
  void clients(@ResoluteClient Client client, @ResoluteClient IngressClient raw) {
    this.client = client;
    this.raw = raw;
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  <I, O> O call(Target target, Class<I> in, TypeTag<O> out, I input) {
    return client.call(Request.of(target, TypeTag.of(in), out, input)).response();
  }

  <I, O> O call(Target target, Class<I> in, Class<O> out, I input) {
    return call(target, in, TypeTag.of(out), input);
  }

  /**
   * Waits until {@code Mailbox/<owner>} has a message starting with {@code prefix}; returns the
   * rest.
   */
  String awaitMail(String owner, String prefix) {
    String[] found = new String[1];
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              List<String> messages =
                  call(
                      Target.virtualObject("Mailbox", owner, "messages"),
                      Void.class,
                      STRINGS,
                      null);
              assertThat(messages).anyMatch(m -> m.startsWith(prefix));
              found[0] =
                  messages.stream().filter(m -> m.startsWith(prefix)).findFirst().orElseThrow();
            });
    return found[0].substring(prefix.length());
  }

  /** The result of the invocation with this id, waiting for it. */
  String attach(String invocationId) {
    return client.invocationHandle(invocationId, String.class).attach().response();
  }

  /**
   * {@code UserSignup/<id>/run} for {@code <id>@example.com}, the link valid for {@code
   * linkValidMillis}.
   */
  static Request<SignupRequest, String> signupRun(String id, long linkValidMillis) {
    return Request.of(
        Target.workflow("UserSignup", id, "run"),
        TypeTag.of(SignupRequest.class),
        TypeTag.of(String.class),
        new SignupRequest(id + "@example.com", linkValidMillis));
  }

  /** Waits for the link mail of signup {@code <id>}; returns its secret. */
  String awaitSignupLink(String id) {
    return awaitMail(id + "@example.com", UserSignup.LINK_PREFIX);
  }

  /**
   * Starts a signup whose link stays valid long enough for the test to click it; completes with its
   * outcome.
   */
  CompletableFuture<String> startSignup(String id) {
    return client.callAsync(signupRun(id, 20_000)).thenApply(r -> r.response());
  }

  /** Sends {@code ExpenseApproval/submit} for an expense that needs a reviewer. */
  SendResponse<String> submitExpense(String expense, long cents) {
    return client.send(
        Request.of(
            Target.service("ExpenseApproval", "submit"),
            TypeTag.of(Expense.class),
            TypeTag.of(String.class),
            new Expense(expense, "bob", cents)));
  }

  // ------------------------------------------------------------------------------------ greeter

  @Test
  void greeterGreets() {
    assertThat(call(Target.service("Greeter", "greet"), String.class, String.class, "Ann"))
        .isEqualTo("Hello, Ann!");
  }

  @Test
  void greeterRejectsEmptyNameWithTerminal400() {
    assertThatThrownBy(
            () -> call(Target.service("Greeter", "greet"), String.class, String.class, " "))
        .isInstanceOfSatisfying(
            IngressException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(400);
              assertThat(e.getMessage()).contains("name must not be empty");
            });
  }

  @Test
  void greeterIdempotencyKeyDeduplicates() {
    Target target = Target.service("Greeter", "greetWithTicket");
    String key = unique("idem");
    var request = Request.of(target, TypeTag.of(String.class), TypeTag.of(String.class), "Bo");
    String first = client.call(request.toBuilder().idempotencyKey(key)).response();
    String second = client.call(request.toBuilder().idempotencyKey(key)).response();
    String other = client.call(request.toBuilder().idempotencyKey(key + "-other")).response();
    assertThat(first).startsWith("Hello, Bo! Your ticket: ");
    assertThat(second).isEqualTo(first);
    assertThat(other).startsWith("Hello, Bo! Your ticket: ").isNotEqualTo(first);
  }

  @Test
  void greeterSendThenAttachByInvocationId() {
    SendResponse<String> sent =
        client.send(
            Request.of(
                Target.service("Greeter", "greet"),
                TypeTag.of(String.class),
                TypeTag.of(String.class),
                "Cy"));
    assertThat(sent.invocationId()).startsWith("inv_");
    assertThat(attach(sent.invocationId())).isEqualTo("Hello, Cy!");
  }

  @Test
  void greeterAttachByIdempotencyKey() {
    Target target = Target.service("Greeter", "greetWithTicket");
    String key = unique("idem");
    SendResponse<String> sent =
        client.send(
            Request.of(target, TypeTag.of(String.class), TypeTag.of(String.class), "Di").toBuilder()
                .idempotencyKey(key));
    String viaKey =
        client.idempotentInvocationHandle(target, key, String.class).attach().response();
    assertThat(viaKey).startsWith("Hello, Di! Your ticket: ");
    assertThat(attach(sent.invocationId())).isEqualTo(viaKey);
    Output<String> output =
        client.idempotentInvocationHandle(target, key, String.class).getOutput().response();
    assertThat(output.isReady()).isTrue();
    assertThat(output.getValue()).isEqualTo(viaKey);
  }

  // ------------------------------------------------------------------------------- shopping cart

  @Test
  void cartAddRemoveCheckout() {
    String id = unique("cart");
    assertThat(
            call(
                Target.virtualObject("ShoppingCart", id, "add"),
                CartItem.class,
                ITEMS,
                new CartItem("apple", 2)))
        .isEqualTo(Map.of("apple", 2));
    call(
        Target.virtualObject("ShoppingCart", id, "add"),
        CartItem.class,
        ITEMS,
        new CartItem("pear", 1));
    call(
        Target.virtualObject("ShoppingCart", id, "add"),
        CartItem.class,
        ITEMS,
        new CartItem("apple", 3));
    call(
        Target.virtualObject("ShoppingCart", id, "add"),
        CartItem.class,
        ITEMS,
        new CartItem("plum", 4));
    assertThat(
            call(Target.virtualObject("ShoppingCart", id, "remove"), String.class, ITEMS, "pear"))
        .isEqualTo(Map.of("apple", 5, "plum", 4));
    assertThat(call(Target.virtualObject("ShoppingCart", id, "get"), Void.class, ITEMS, null))
        .isEqualTo(Map.of("apple", 5, "plum", 4));
    Receipt receipt =
        call(Target.virtualObject("ShoppingCart", id, "checkout"), Void.class, Receipt.class, null);
    assertThat(receipt).isEqualTo(new Receipt(id, Map.of("apple", 5, "plum", 4), 9));
    assertThat(call(Target.virtualObject("ShoppingCart", id, "get"), Void.class, ITEMS, null))
        .isEmpty();
    assertThat(
            call(
                Target.virtualObject("ShoppingCart", "other-" + id, "get"),
                Void.class,
                ITEMS,
                null))
        .isEmpty();
  }

  @Test
  void cartTerminalErrorsCarryCodeAndMessage() {
    String id = unique("cart");
    assertThatThrownBy(
            () ->
                call(
                    Target.virtualObject("ShoppingCart", id, "checkout"),
                    Void.class,
                    Receipt.class,
                    null))
        .isInstanceOfSatisfying(
            IngressException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(400);
              assertThat(e.getMessage()).contains("cart is empty");
            });
    assertThatThrownBy(
            () ->
                call(
                    Target.virtualObject("ShoppingCart", id, "remove"),
                    String.class,
                    ITEMS,
                    "kiwi"))
        .isInstanceOfSatisfying(
            IngressException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
  }

  @Test
  void cartConcurrentAddsAreSerializedPerKey() {
    String id = unique("cart");
    Request<CartItem, Map<String, Integer>> add =
        Request.of(
            Target.virtualObject("ShoppingCart", id, "add"),
            TypeTag.of(CartItem.class),
            ITEMS,
            new CartItem("nut", 1));
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(client.callAsync(add));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    assertThat(call(Target.virtualObject("ShoppingCart", id, "get"), Void.class, ITEMS, null))
        .isEqualTo(Map.of("nut", 20));
  }

  // ----------------------------------------------------------------------------- signup workflow

  @Test
  void signupVerifiedWhenLinkClicked() {
    String id = unique("user");
    CompletableFuture<String> run = startSignup(id);
    String secret = awaitSignupLink(id);
    assertThat(call(Target.workflow("UserSignup", id, "status"), Void.class, String.class, null))
        .isEqualTo("waiting-for-click");
    assertThat(call(Target.workflow("UserSignup", id, "click"), String.class, String.class, secret))
        .isEqualTo("thanks");
    assertThat(run.join()).isEqualTo("verified");
    assertThat(call(Target.workflow("UserSignup", id, "status"), Void.class, String.class, null))
        .isEqualTo("verified");
  }

  @Test
  void signupWrongSecretIsNotVerified() {
    String id = unique("user");
    CompletableFuture<String> run = startSignup(id);
    awaitSignupLink(id);
    call(Target.workflow("UserSignup", id, "click"), String.class, String.class, "guessed");
    assertThat(run.join()).isEqualTo("wrong-secret");
  }

  @Test
  void signupTimesOutWhenNobodyClicks() {
    String id = unique("user");
    long start = System.nanoTime();
    String outcome = client.call(signupRun(id, 1_000)).response();
    assertThat(outcome).isEqualTo("timed-out");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(call(Target.workflow("UserSignup", id, "status"), Void.class, String.class, null))
        .isEqualTo("timed-out");
  }

  @Test
  void signupSubmitThenAttachAndOutputByWorkflowId() {
    String id = unique("user");
    Request<SignupRequest, String> run = signupRun(id, 20_000);
    SendResponse<String> submitted = client.submit(run);
    assertThat(submitted.sendStatus()).isEqualTo(SendResponse.SendStatus.ACCEPTED);
    var handle = client.workflowHandle("UserSignup", id, String.class);
    String secret = awaitSignupLink(id);
    SendResponse<String> again = client.submit(run);
    assertThat(again.sendStatus()).isEqualTo(SendResponse.SendStatus.PREVIOUSLY_ACCEPTED);
    assertThat(again.invocationId()).isEqualTo(submitted.invocationId());
    assertThat(handle.getOutput().response().isReady()).isFalse();
    CompletableFuture<String> attached = handle.attachAsync().thenApply(r -> r.response());
    assertThat(attached).isNotDone();
    call(Target.workflow("UserSignup", id, "click"), String.class, String.class, secret);
    assertThat(attached.join()).isEqualTo("verified");
    assertThat(handle.attach().response()).isEqualTo("verified");
    assertThat(handle.getOutput().response().getValue()).isEqualTo("verified");
  }

  @Test
  void signupAbortRejectsThePromise() {
    String id = unique("user");
    CompletableFuture<String> run = startSignup(id);
    awaitSignupLink(id);
    assertThat(
            call(
                Target.workflow("UserSignup", id, "abort"),
                String.class,
                String.class,
                "changed my mind"))
        .isEqualTo("aborted");
    assertThat(run.join()).isEqualTo("aborted: changed my mind");
    assertThatThrownBy(
            () ->
                call(
                    Target.workflow("UserSignup", id, "click"), String.class, String.class, "late"))
        .as("a completed promise cannot be completed again")
        .isInstanceOfSatisfying(
            IngressException.class, e -> assertThat(e.getStatusCode()).isEqualTo(409));
  }

  @Test
  void signupWorkflowRunsOncePerId() {
    String id = unique("user");
    assertThat(client.call(signupRun(id, 200)).response()).isEqualTo("timed-out");
    HttpResponse<String> again =
        raw.post("/UserSignup/" + id + "/run", "{\"email\":\"x@y.z\",\"linkValidMillis\":200}");
    assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
  }

  // ------------------------------------------------------------------------------------- saga

  @Test
  void sagaBooksEverythingWhenAvailable() {
    String trip = unique("trip");
    String out =
        call(
            Target.service("TripBooking", "book"),
            TripRequest.class,
            String.class,
            new TripRequest(trip, List.of("flight", "hotel", "car")));
    assertThat(out).isEqualTo("booked " + trip + ": flight, hotel, car");
    assertThat(
            call(Target.virtualObject("Reservations", trip, "history"), Void.class, STRINGS, null))
        .containsExactly("reserved flight", "reserved hotel", "reserved car");
  }

  @Test
  void sagaCompensatesInReverseOrderOnTerminalFailure() {
    String trip = unique("trip");
    assertThatThrownBy(
            () ->
                call(
                    Target.service("TripBooking", "book"),
                    TripRequest.class,
                    String.class,
                    new TripRequest(
                        trip,
                        List.of("flight", "hotel", Reservations.SOLD_OUT + "-car", "museum"))))
        .isInstanceOfSatisfying(
            IngressException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(409);
              assertThat(e.getMessage())
                  .contains(
                      "trip "
                          + trip
                          + " failed and was rolled back: SOLD-OUT-car is not available");
            });
    assertThat(
            call(Target.virtualObject("Reservations", trip, "history"), Void.class, STRINGS, null))
        .containsExactly(
            "reserved flight", "reserved hotel", "cancelled hotel", "cancelled flight");
  }

  @Test
  void sagaCancelledWhileReservingCompensates(@ResoluteAdminEndpointURL URI admin)
      throws Exception {
    String trip = unique("trip");
    SendResponse<String> sent =
        client.send(
            Request.of(
                Target.service("TripBooking", "book"),
                TypeTag.of(TripRequest.class),
                TypeTag.of(String.class),
                new TripRequest(trip, List.of("flight", "hotel", Reservations.SLOW + "-car"))));
    Target history = Target.virtualObject("Reservations", trip, "history");
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () ->
                assertThat(call(history, Void.class, STRINGS, null))
                    .contains("reserving SLOW-car"));
    HttpResponse<String> cancel =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        admin.resolve("/invocations/" + sent.invocationId() + "/cancel"))
                    .method("PATCH", HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(cancel.statusCode()).as(cancel.body()).isIn(200, 202);
    // the 1-minute sleep of the callee must be cancelled too, else the compensations (same key)
    // wait for it
    assertThatThrownBy(() -> client.invocationHandle(sent.invocationId(), String.class).attach())
        .isInstanceOfSatisfying(
            IngressException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(409);
              assertThat(e.getMessage()).contains("trip " + trip + " failed and was rolled back");
            });
    assertThat(call(history, Void.class, STRINGS, null))
        .containsExactly(
            "reserved flight",
            "reserved hotel",
            "reserving SLOW-car",
            "cancelled hotel",
            "cancelled flight");
  }

  // ---------------------------------------------------------------------- awakeable
  // human-in-the-loop

  @Test
  void smallExpenseNeedsNoReviewer() {
    assertThat(
            call(
                Target.service("ExpenseApproval", "submit"),
                Expense.class,
                String.class,
                new Expense("e-small", "ann", 4_99)))
        .isEqualTo("auto-approved e-small");
  }

  @Test
  void reviewerApprovesThroughAwakeableResolve() {
    String expense = unique("exp");
    SendResponse<String> sent = submitExpense(expense, 2_500_00);
    String awakeableId =
        awaitMail(ExpenseApproval.reviewMailbox(expense), ExpenseApproval.REVIEW_PREFIX);
    assertThat(awakeableId).startsWith("sign_1");
    HttpResponse<String> resolved =
        raw.resolveAwakeable(awakeableId, "{\"approved\":true,\"reviewer\":\"carol\"}");
    assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(202);
    assertThat(attach(sent.invocationId())).isEqualTo("approved " + expense + " by carol");
  }

  @Test
  void reviewerRejectsThroughAwakeableReject() {
    String expense = unique("exp");
    SendResponse<String> sent = submitExpense(expense, 9_999_00);
    String awakeableId =
        awaitMail(ExpenseApproval.reviewMailbox(expense), ExpenseApproval.REVIEW_PREFIX);
    HttpResponse<String> rejected = raw.rejectAwakeable(awakeableId, "too expensive");
    assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(202);
    assertThat(attach(sent.invocationId())).isEqualTo("rejected " + expense + ": too expensive");
  }

  @Test
  void unknownAwakeableIsRejectedByTheIngress() {
    HttpResponse<String> r = raw.resolveAwakeable("sign_1nope", "{}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
  }
}
