/**
 * Edge: the Kubernetes side, the pod informers, the reconcile loop, the status-capture finalizer and retention; every
 * call to the Kubernetes API is here.
 */
package io.stagewatch.kube;
