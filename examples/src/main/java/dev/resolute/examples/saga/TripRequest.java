package dev.resolute.examples.saga;

import java.util.List;

/** A trip: its id and the things to reserve, in order (flight, hotel, car, ...). */
public record TripRequest(String tripId, List<String> bookings) {}
