package dev.resolute.examples.approval;

/**
 * An expense claim; amounts above {@link ExpenseApproval#AUTO_APPROVE_LIMIT_CENTS} need a person.
 */
public record Expense(String id, String submitter, long amountCents) {}
