package io.stagewatch.testing;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The mock API server ({@link MockApiServer}) for a {@code @QuarkusTest}, in place of {@code
 * @WithKubernetesTestServer}: every class with this annotation and the same test profile shares one running application
 * and one API server, where {@code @WithKubernetesTestServer} restricts its server to its class and so starts Quarkus
 * again for each. A test therefore starts from what earlier classes left: its own pod names ({@link Pods#name}), its
 * own namespace or pipeline where it reads lists, and no notification rule ({@link NoRulesLeftOver}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@WithTestResource(value = MockApiServer.class, scope = TestResourceScope.MATCHING_RESOURCES)
public @interface MockCluster {}
