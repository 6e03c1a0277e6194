package io.stagewatch.kube;

/**
 * When the pod informers are restarted: when one has stopped for good, or when they have not been watching on two
 * checks in a row and their caches took no write in between. An informer that is not watching yet because it is
 * still reading its LIST is making progress (every page writes its pods to the cache) and is left to finish: at
 * 50,000 pods the LIST takes longer than a check interval, and restarting it would start it over, again and again.
 * A reconnect in progress gets one interval; a silent stop, or a LIST that fails and retries, writes nothing.
 */
final class InformerWatchdog {

    private boolean notWatchingLastTime;
    private long writesLastTime = -1;

    /**
     * @param stopped  whether an informer has stopped for good
     * @param watching whether every informer holds an open watch
     * @param writes   how many writes the informers' caches have taken so far
     * @return true when the informers are to be restarted now
     */
    synchronized boolean restart(boolean stopped, boolean watching, long writes) {
        boolean stalled = !watching && notWatchingLastTime && writes == writesLastTime;
        boolean restart = stopped || stalled;
        notWatchingLastTime = !watching && !restart;
        writesLastTime = writes;
        return restart;
    }
}
