package org.conversationarchive.security;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses JSON request bodies over the limit ({@code 413}) before they are read. Streams
 * with limits of their own (NDJSON bulk, multipart uploads, audio) pass.
 */
class BodySizeFilter extends OncePerRequestFilter {

	private static final Set<String> STREAMED = Set.of("application/x-ndjson", MediaType.MULTIPART_FORM_DATA_VALUE,
			"audio/mpeg");

	private final long limit;

	private final JsonMapper json;

	BodySizeFilter(long limit, JsonMapper json) {
		this.limit = limit;
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String type = request.getContentType();
		boolean streamed = type != null
				&& STREAMED.stream().anyMatch((each) -> type.toLowerCase(java.util.Locale.ROOT).startsWith(each));
		if (!streamed && request.getContentLengthLong() > this.limit) {
			Problems.write(response, this.json, HttpStatus.CONTENT_TOO_LARGE, "Request too large",
					"the request body is " + request.getContentLengthLong() + " bytes; at most " + this.limit
							+ " are allowed (archive.security.max-body-size)");
			return;
		}
		chain.doFilter(request, response);
	}

}
