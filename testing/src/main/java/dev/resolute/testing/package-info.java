/**
 * JUnit 5 test kit: {@link dev.resolute.testing.ResoluteTest} runs a test class against an embedded
 * Resolute server (or the real restate-server) serving its {@link dev.resolute.testing.BindService}
 * fields; {@link dev.resolute.testing.ResoluteRunner} does the same without JUnit.
 */
package dev.resolute.testing;
