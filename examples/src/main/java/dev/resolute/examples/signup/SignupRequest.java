package dev.resolute.examples.signup;

/** Who signs up, and how long the verification link stays valid. */
public record SignupRequest(String email, long linkValidMillis) {}
