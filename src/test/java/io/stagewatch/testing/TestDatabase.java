package io.stagewatch.testing;

/**
 * The PostgreSQL database of the test profile ({@code %test.quarkus.datasource.*.url}): {@code -Dtest.database}, which
 * the pom sets per Surefire fork so that forks running at once never share one, else {@code test}.
 */
public final class TestDatabase {

    public static final String NAME = System.getProperty("test.database", "test");

    private TestDatabase() {}
}
