package dev.clerkkit.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;

/** A real Tomcat on a free loopback port, with applications registered through the Servlet API as a user would. */
public final class EmbeddedTomcat implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final Tomcat tomcat = new Tomcat();
    private final Path baseDir;

    public EmbeddedTomcat() {
        try {
            baseDir = Files.createTempDirectory("clerkkit-tomcat");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
    }

    /** Adds an application at {@code contextPath} ("" for the root) whose startup runs {@code setup}. */
    public EmbeddedTomcat app(String contextPath, Consumer<ServletContext> setup) {
        Context ctx = tomcat.addContext(contextPath, baseDir.toString());
        ctx.addServletContainerInitializer((classes, servletContext) -> setup.accept(servletContext), null);
        return this;
    }

    /** An application with {@code filter} on every path in front of {@code servlet} on every path. */
    public EmbeddedTomcat app(String contextPath, Filter filter, HttpServlet servlet) {
        return app(contextPath, sc -> {
            sc.addFilter("clerk", filter).addMappingForUrlPatterns(null, false, "/*");
            sc.addServlet("app", servlet).addMapping("/");
        });
    }

    public EmbeddedTomcat start() {
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** {@code http://127.0.0.1:<port>} */
    public String origin() {
        return "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
    }

    /** Sends {@code method path} (no body) with header name/value pairs over a real socket. */
    public HttpResponse<String> send(String method, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin() + path)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws LifecycleException, IOException {
        tomcat.stop();
        tomcat.destroy();
        try (var files = Files.walk(baseDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
