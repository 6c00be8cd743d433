package dev.clerkkit.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;

/** A real Tomcat on a free loopback port, with applications registered through the Servlet API as a user would. */
final class EmbeddedTomcat implements AutoCloseable {
    private final Tomcat tomcat = new Tomcat();
    private final Path baseDir;

    EmbeddedTomcat() {
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
    EmbeddedTomcat app(String contextPath, Consumer<ServletContext> setup) {
        Context ctx = tomcat.addContext(contextPath, baseDir.toString());
        ctx.addServletContainerInitializer((classes, servletContext) -> setup.accept(servletContext), null);
        return this;
    }

    /** An application with {@code filter} on every path in front of {@code servlet} on every path. */
    EmbeddedTomcat app(String contextPath, Filter filter, HttpServlet servlet) {
        return app(contextPath, sc -> {
            sc.addFilter("clerk", filter).addMappingForUrlPatterns(null, false, "/*");
            sc.addServlet("app", servlet).addMapping("/");
        });
    }

    EmbeddedTomcat start() {
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** {@code http://127.0.0.1:<port>} */
    String origin() {
        return "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
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
