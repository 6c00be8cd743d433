package dev.clerkkit.servlet.readme;

import dev.clerkkit.java.ClerkJavaClient;
import dev.clerkkit.servlet.ClerkAuthFilter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The README's Spring Boot snippet: compiled here, its bean methods called by ServletReadmeExamplesTest. */
// tag::spring-filter[]
@Configuration
public class ClerkConfig {
    @Bean(destroyMethod = "close")
    public ClerkJavaClient clerk() {
        return ClerkJavaClient.fromEnv();                                  // CLERK_SECRET_KEY
    }

    @Bean
    public FilterRegistrationBean<ClerkAuthFilter> clerkAuthFilter(
            ClerkJavaClient clerk, @Value("${clerk.publishable-key}") String publishableKey) {
        FilterRegistrationBean<ClerkAuthFilter> registration = new FilterRegistrationBean<>(
                ClerkAuthFilter.builder(clerk)
                        .publishableKey(publishableKey)
                        .authorizedParties("https://app.example.com")
                        .requireSignIn("/api/*")
                        .build());
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);            // ahead of Spring Security's chain
        return registration;
    }
}
// end::spring-filter[]
