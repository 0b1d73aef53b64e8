package org.conversationarchive;

import jakarta.servlet.http.HttpServletRequest;
import org.conversationarchive.system.CurrentOrg;
import org.conversationarchive.system.CurrentUser;
import org.conversationarchive.system.Role;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Test-only callers: each request acts for the org and role its {@code X-Test-Org} and
 * {@code X-Test-Role} headers name (by default an admin of the default org), so a test
 * can be two orgs, or a viewer, without the security module.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestUsers {

	public static final String ORG = "X-Test-Org";

	public static final String ROLE = "X-Test-Role";

	@Bean
	@Primary
	CurrentUser headerUser() {
		return new CurrentUser() {

			@Override
			public String id() {
				String org = header(ORG);
				return (org != null) ? org : CurrentOrg.DEFAULT;
			}

			@Override
			public String userId() {
				return "test-" + id();
			}

			@Override
			public Role role() {
				String role = header(ROLE);
				return (role != null) ? Role.of(role) : Role.ADMIN;
			}

		};
	}

	private static String header(String name) {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			HttpServletRequest request = attributes.getRequest();
			return request.getHeader(name);
		}
		return null;
	}

}
