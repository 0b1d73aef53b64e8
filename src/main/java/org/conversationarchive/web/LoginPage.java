package org.conversationarchive.web;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.WebAttributes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The sign-in page: an API key (the security module's form login checks it), and a link
 * to each identity provider that is configured.
 */
@Controller
class LoginPage {

	private final ObjectProvider<ClientRegistrationRepository> identityProviders;

	LoginPage(ObjectProvider<ClientRegistrationRepository> identityProviders) {
		this.identityProviders = identityProviders;
	}

	@GetMapping("/login")
	String login(@RequestParam(required = false) @Nullable String error,
			@RequestParam(required = false) @Nullable String logout, HttpServletRequest request, Model model) {
		if (model.getAttribute("me") != null && error == null && logout == null) {
			return "redirect:/";
		}
		model.addAttribute("error", error != null);
		model.addAttribute("errorMessage", errorMessage(request));
		model.addAttribute("loggedOut", logout != null);
		model.addAttribute("providers", providers());
		return "login";
	}

	/**
	 * Why the last sign-in failed, as the security module said it (a bad key, or too many
	 * attempts).
	 */
	private static String errorMessage(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		Object failure = (session != null) ? session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION) : null;
		if (failure instanceof AuthenticationException ex && ex.getMessage() != null) {
			return ex.getMessage();
		}
		return "The API key is not valid, or it was revoked.";
	}

	/**
	 * The configured registrations; Spring Boot's repository lists them, others may not.
	 */
	private List<Provider> providers() {
		List<Provider> providers = new ArrayList<>();
		ClientRegistrationRepository repository = this.identityProviders.getIfAvailable();
		if (repository instanceof Iterable<?> registrations) {
			for (Object registration : registrations) {
				if (registration instanceof ClientRegistration client) {
					String name = (client.getClientName() != null && !client.getClientName().isBlank())
							? client.getClientName() : client.getRegistrationId();
					providers.add(new Provider(client.getRegistrationId(), name));
				}
			}
		}
		return providers;
	}

	/**
	 * An identity provider to sign in with.
	 *
	 * @param id the registration id, in {@code /oauth2/authorization/<id>}
	 * @param name what to call it
	 */
	record Provider(String id, String name) {
	}

}
