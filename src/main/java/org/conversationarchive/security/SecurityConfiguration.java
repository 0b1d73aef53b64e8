package org.conversationarchive.security;

import java.util.Set;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;

/**
 * Every {@code /api/v1} request is authenticated (API key or OIDC token) and needs the
 * role its URL asks for; health stays open, and download links carry their own signature.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	static final HttpSessionCsrfTokenRepository CSRF_TOKENS = new HttpSessionCsrfTokenRepository();

	static final SecurityContextRepository SESSIONS = new DelegatingSecurityContextRepository(
			new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository());

	/**
	 * The API reads the pages' session (their scripts call it) but never creates one:
	 * machines send their credentials with every request, and a session per request would
	 * cost each one a cookie and the server a session held for half an hour.
	 */
	static final SecurityContextRepository API_SESSIONS = apiSessions();

	static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

	@Bean
	RoleHierarchy roleHierarchy() {
		return RoleHierarchyImpl.fromHierarchy("""
				ROLE_ADMIN > ROLE_MANAGER
				ROLE_MANAGER > ROLE_ANALYST
				ROLE_ANALYST > ROLE_VIEWER
				ROLE_ADMIN > ROLE_INGEST
				""");
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE + 10)
	SecurityFilterChain api(HttpSecurity http, FailedAttempts failures, SecuritySettings settings, JsonMapper json,
			ObjectProvider<JwtDecoder> jwtDecoder) throws Exception {
		boolean jwt = jwtDecoder.getIfAvailable() != null;
		// Missing or failed credentials, API key or OIDC token alike.
		AuthenticationEntryPoint unauthorized = (request, response, ex) -> {
			String credentials = request.getHeader(HttpHeaders.AUTHORIZATION);
			if (credentials != null && failures.failed(request.getRemoteAddr())) {
				failures.refuse(response, request.getRemoteAddr());
				return;
			}
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
					(credentials != null) ? "Bearer error=\"invalid_token\"" : "Bearer");
			Problems.write(response, json, HttpStatus.UNAUTHORIZED, "Unauthorized",
					"authenticate with Authorization: Bearer <API key or token>");
		};
		http.securityMatcher("/api/**", "/actuator/**")
			// Machines send credentials with each request. The pages' session is read
			// here, never created, and a request it authenticates must carry the pages'
			// CSRF token.
			.csrf((csrf) -> csrf.csrfTokenRepository(CSRF_TOKENS)
				.csrfTokenRequestHandler(new HeaderCsrfTokens())
				.requireCsrfProtectionMatcher((request) -> request.getHeader(HttpHeaders.AUTHORIZATION) == null
						&& request.getSession(false) != null && !SAFE_METHODS.contains(request.getMethod())))
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.NEVER))
			.securityContext((context) -> context.securityContextRepository(API_SESSIONS))
			.requestCache((cache) -> cache.requestCache(new NullRequestCache()))
			.addFilterBefore(new BearerKeyFilter(failures, json, jwt), AbstractPreAuthenticatedProcessingFilter.class)
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(unauthorized)
				.accessDeniedHandler((request, response, ex) -> Problems.write(response, json, HttpStatus.FORBIDDEN,
						"Forbidden", "your role may not " + request.getMethod() + " " + request.getRequestURI())))
			.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
						.permitAll()
						.requestMatchers("/api/v1/downloads/**")
						.permitAll()
						.requestMatchers(HttpMethod.POST, "/api/v1/conversations/_search")
						.hasRole("VIEWER")
						// People's flags: reading them is the catch-all's.
						.requestMatchers(HttpMethod.POST, "/api/v1/conversations/*/flags")
						.hasRole("ANALYST")
						.requestMatchers(HttpMethod.DELETE, "/api/v1/conversations/*/flags")
						.hasRole("ANALYST")
						.requestMatchers(HttpMethod.POST, "/api/v1/conversations", "/api/v1/conversations/_bulk",
								"/api/v1/conversations/*/messages", "/api/v1/conversations/*/artifacts")
						.hasRole("INGEST")
						.requestMatchers(HttpMethod.PUT, "/api/v1/conversations/*/audio")
						.hasRole("INGEST")
						.requestMatchers(HttpMethod.DELETE, "/api/v1/conversations/*")
						.hasRole("ADMIN")
						.requestMatchers("/api/v1/imports", "/api/v1/imports/**")
						.hasRole("INGEST")
						// The agent platform publishes its flows with its ingest key;
						// reading them is the catch-all's.
						.requestMatchers(HttpMethod.PUT, "/api/v1/flows/*")
						.hasRole("INGEST")
						.requestMatchers(HttpMethod.POST, "/api/v1/orgs")
						.hasRole("SYSTEM_ADMIN")
						// Every org's conversations are in the yearly indices.
						.requestMatchers("/api/v1/conversation-indices", "/api/v1/conversation-indices/**")
						.hasRole("SYSTEM_ADMIN")
						.requestMatchers("/api/v1/orgs", "/api/v1/orgs/**", "/api/v1/audit", "/api/v1/audit/**")
						.hasRole("ADMIN")
						.requestMatchers("/api/v1/exports", "/api/v1/exports/**", "/api/v1/agents/*/history-exports",
								"/api/v1/agents/*/history-exports/**")
						.hasRole("ANALYST")
						.requestMatchers("/api/v1/schedules", "/api/v1/schedules/**")
						.hasRole("MANAGER")
						// Their URLs may carry the receiver's credentials.
						.requestMatchers("/api/v1/webhooks", "/api/v1/webhooks/**")
						.hasRole("MANAGER")
						// Playing audio too; the controller keeps downloading it
						// (?download=true) to analysts.
						.requestMatchers("/api/**")
						.hasRole("VIEWER")
						.anyRequest()
						.denyAll());
		if (jwt) {
			DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
			// API keys are the other filter's; only JWT-shaped tokens are the resource
			// server's.
			http.oauth2ResourceServer((server) -> server.bearerTokenResolver((request) -> {
				String token = bearer.resolve(request);
				return (token != null && BearerKeyFilter.isJwt(token)) ? token : null;
			})
				.authenticationEntryPoint(unauthorized)
				.jwt((jwtConfig) -> jwtConfig.jwtAuthenticationConverter(new JwtPrincipals(settings.jwt()))));
		}
		return http.build();
	}

	/**
	 * The pages: signed in with an API key (or through the identity provider when one is
	 * configured), kept in a session, protected against cross-site requests.
	 */
	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE - 10)
	SecurityFilterChain pages(HttpSecurity http, FailedAttempts failures, SecuritySettings settings,
			ObjectProvider<ClientRegistrationRepository> identityProviders) throws Exception {
		http.securityMatcher("/**")
			.csrf((csrf) -> csrf.csrfTokenRepository(CSRF_TOKENS))
			.securityContext((context) -> context.securityContextRepository(SESSIONS))
			.authenticationProvider(new ApiKeySignIn(failures))
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers("/login", "/error", "/css/**", "/js/**", "/images/**", "/favicon.ico")
				.permitAll()
				.anyRequest()
				.authenticated())
			.formLogin((form) -> form.loginPage("/login")
				.usernameParameter("org")
				.passwordParameter("key")
				.defaultSuccessUrl("/", false)
				.failureUrl("/login?error")
				.permitAll())
			.logout((logout) -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout"));
		if (identityProviders.getIfAvailable() != null) {
			http.oauth2Login(
					(login) -> login.loginPage("/login").successHandler(new OidcSignIn(settings.jwt(), SESSIONS)));
		}
		return http.build();
	}

	/**
	 * The pages' scripts send the CSRF token to the API in a header. Looked for in the
	 * parameters too, as by default, it would have the container parse an upload's whole
	 * multipart body before the request is refused.
	 */
	private static final class HeaderCsrfTokens implements CsrfTokenRequestHandler {

		private final CsrfTokenRequestHandler tokens = new XorCsrfTokenRequestAttributeHandler();

		@Override
		public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> token) {
			this.tokens.handle(request, response, token);
		}

		@Override
		public @Nullable String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken token) {
			return (request.getHeader(token.getHeaderName()) != null)
					? this.tokens.resolveCsrfTokenValue(request, token) : null;
		}

	}

	private static SecurityContextRepository apiSessions() {
		HttpSessionSecurityContextRepository sessions = new HttpSessionSecurityContextRepository();
		sessions.setAllowSessionCreation(false);
		return new DelegatingSecurityContextRepository(new RequestAttributeSecurityContextRepository(), sessions);
	}

	/**
	 * The caller of the current request, for every module.
	 * @return the current user
	 */
	@Bean
	CurrentUser currentUser() {
		return new CurrentUser() {
			@Override
			public String id() {
				return principal().org();
			}

			@Override
			public String userId() {
				return principal().userId();
			}

			@Override
			public Role role() {
				return principal().role();
			}

			private ArchivePrincipal principal() {
				Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
				if (authentication instanceof ArchiveAuthentication archive) {
					return archive.getPrincipal();
				}
				throw new IllegalStateException("no authenticated caller in this thread");
			}
		};
	}

}
