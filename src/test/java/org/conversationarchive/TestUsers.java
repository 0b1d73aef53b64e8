package org.conversationarchive;

import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Who a test request acts for, from its headers: {@code X-Test-Org} (default
 * {@code default}), {@code X-Test-User} (default {@code anonymous}) and
 * {@code X-Test-Role} (default {@code admin}). Import it into a test that needs several
 * users or roles; it stands in for authentication.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestUsers {

	public static final String ORG = "X-Test-Org";

	public static final String USER = "X-Test-User";

	public static final String ROLE = "X-Test-Role";

	@Bean
	@Primary
	CurrentUser testUser() {
		return new CurrentUser() {

			@Override
			public String id() {
				return header(ORG, "default");
			}

			@Override
			public String userId() {
				return header(USER, "anonymous");
			}

			@Override
			public Role role() {
				return Role.of(header(ROLE, "admin"));
			}

		};
	}

	private static String header(String name, String fallback) {
		@Nullable String value = null;
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request) {
			value = request.getRequest().getHeader(name);
		}
		return (value != null && !value.isBlank()) ? value : fallback;
	}

}
