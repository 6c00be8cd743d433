package dev.clerkkit.servlet;

import dev.clerkkit.auth.AuthResult;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Optional;

/** Answers 200 with what the filter left on the request, one {@code key=value} line each. */
final class EchoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Principal p = req.getUserPrincipal();
        Optional<AuthResult> result = ClerkAuthFilter.result(req);
        StringBuilder out = new StringBuilder();
        out.append("principal=").append(p == null ? "null" : p.getName()).append('\n');
        out.append("principalClass=").append(p == null ? "null" : p.getClass().getSimpleName()).append('\n');
        out.append("principalString=").append(p).append('\n');
        out.append("sessionId=").append(p instanceof ClerkPrincipal ? ((ClerkPrincipal) p).getSessionId() : "null").append('\n');
        out.append("remoteUser=").append(req.getRemoteUser()).append('\n');
        out.append("authType=").append(req.getAuthType()).append('\n');
        out.append("status=").append(result.map(AuthResult::getStatus).orElse("none")).append('\n');
        out.append("authenticated=").append(result.map(AuthResult::isAuthenticated).orElse(false)).append('\n');
        out.append("result=").append(result.map(Object::toString).orElse("none")).append('\n');
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().write(out.toString());
    }
}
