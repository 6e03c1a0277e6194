package io.stagewatch.api;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /runs/{uid}} and {@code GET /failures}: the status page (the same {@code index.html} that Quarkus serves at
 * {@code /}), whose script shows the view the path names: a run's detail (the mails link here) or the failure chart.
 */
@Path("/{view: runs/[^/]+|failures}")
@Singleton
public class PageResource {

    private static final String PAGE = "META-INF/resources/index.html";
    private static final String HTML = MediaType.TEXT_HTML + ";charset=UTF-8";

    private final String page;

    public PageResource() {
        this.page = read();
    }

    @PermitAll // the page itself; its data comes from /api
    @GET
    @Produces(HTML)
    @NonBlocking
    public String view(@PathParam("view") String view) {
        return page;
    }

    private static String read() {
        try (InputStream in = PageResource.class.getClassLoader().getResourceAsStream(PAGE)) {
            if (in == null) {
                throw new IllegalStateException("The status page " + PAGE + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
