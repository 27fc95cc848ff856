package dev.resolute.examples;

import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The examples against a Resolute cluster on Kafka ({@link ExamplesCluster}: three brokers, three
 * nodes): each request goes to the next node in turn, so every node serves ingress and admin calls.
 */
@ExtendWith(ExamplesCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExamplesOnClusterIT extends ExamplesITBase {}
