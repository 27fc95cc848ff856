package dev.resolute.sdk;

/**
 * Context of a workflow's main handler: everything of {@link SharedWorkflowContext} plus state
 * writes.
 */
public interface WorkflowContext extends SharedWorkflowContext, ObjectContext {}
