/**
 * Domain: the profiles of the CI/CD platforms, pure: which pods are a platform's, how such a pod maps to a run, and
 * which of its containers decide it.
 */
package io.stagewatch.platform;
