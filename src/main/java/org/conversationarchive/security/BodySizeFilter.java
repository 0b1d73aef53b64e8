package org.conversationarchive.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.conversationarchive.system.PayloadTooLargeException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Holds every request body to the limit ({@code 413}), whatever its framing: one that
 * declares a larger {@code Content-Length} is refused before it is read, and any other
 * (chunked, or lying about its length) is counted while it is read and refused the moment
 * it goes over. Only the endpoints that stream bodies of any size, with limits of their
 * own, pass: the NDJSON bulk (each line bounded), imports, artifact and audio uploads.
 */
class BodySizeFilter extends OncePerRequestFilter {

	private static final PathPatternRequestMatcher.Builder PATHS = PathPatternRequestMatcher.withDefaults();

	private static final List<RequestMatcher> STREAMED = List.of(
			PATHS.matcher(HttpMethod.POST, "/api/v1/conversations/_bulk"),
			PATHS.matcher(HttpMethod.POST, "/api/v1/imports"),
			PATHS.matcher(HttpMethod.POST, "/api/v1/conversations/*/artifacts"),
			PATHS.matcher(HttpMethod.PUT, "/api/v1/conversations/*/audio"));

	private final long limit;

	private final JsonMapper json;

	BodySizeFilter(long limit, JsonMapper json) {
		this.limit = limit;
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (STREAMED.stream().anyMatch((streamed) -> streamed.matches(request))) {
			chain.doFilter(request, response);
			return;
		}
		if (request.getContentLengthLong() > this.limit) {
			Problems.write(response, this.json, HttpStatus.CONTENT_TOO_LARGE, "Request too large",
					"the request body is " + request.getContentLengthLong() + " bytes; " + allowed());
			return;
		}
		chain.doFilter(new Bounded(request), response);
	}

	private String allowed() {
		return "at most " + this.limit + " are allowed (archive.security.max-body-size)";
	}

	/**
	 * The request with its body counted as it is read.
	 */
	private final class Bounded extends HttpServletRequestWrapper {

		private @Nullable ServletInputStream body;

		Bounded(HttpServletRequest request) {
			super(request);
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.body == null) {
				this.body = new Counted(super.getInputStream());
			}
			return this.body;
		}

		@Override
		public BufferedReader getReader() throws IOException {
			String encoding = getCharacterEncoding();
			Charset charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.UTF_8;
			return new BufferedReader(new InputStreamReader(getInputStream(), charset));
		}

	}

	/**
	 * A body that refuses to be read past the limit: a runtime exception, so that no
	 * reader on the way (the JSON parser, the message converters) takes it for bad input
	 * or a broken connection; the problem handler answers it as a {@code 413}.
	 */
	private final class Counted extends ServletInputStream {

		private final ServletInputStream in;

		private long read;

		Counted(ServletInputStream in) {
			this.in = in;
		}

		@Override
		public int read() throws IOException {
			int b = this.in.read();
			if (b != -1) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = this.in.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) {
			this.read += n;
			if (this.read > BodySizeFilter.this.limit) {
				throw new PayloadTooLargeException("the request body is larger than the limit: " + allowed());
			}
		}

		@Override
		public boolean isFinished() {
			return this.in.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.in.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.in.setReadListener(listener);
		}

	}

}
