package org.conversationarchive.system;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.ResourceHttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * A file asked for with a range it does not have is a {@code 416} with
 * {@code Content-Range: bytes *}{@code /<size>} and no body. Spring MVC sets that status
 * and header for a returned {@code Resource}, but then writes the whole file anyway (in
 * {@code AbstractMessageConverterMethodProcessor}): a player seeking past the end got the
 * recording again, whole, each time.
 */
@ControllerAdvice
class UnsatisfiableRanges implements ResponseBodyAdvice<Object> {

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return ResourceHttpMessageConverter.class.isAssignableFrom(converterType);
	}

	@Override
	public @Nullable Object beforeBodyWrite(@Nullable Object body, MethodParameter returnType,
			MediaType selectedContentType, Class<? extends HttpMessageConverter<?>> selectedConverterType,
			ServerHttpRequest request, ServerHttpResponse response) {
		if (response instanceof ServletServerHttpResponse servlet
				&& servlet.getServletResponse().getStatus() == HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE.value()) {
			return null;
		}
		return body;
	}

}
