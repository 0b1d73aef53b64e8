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

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Holds every request body to the limit ({@code 413}), whatever its framing: a larger
 * declared {@code Content-Length} is refused unread, any other body is counted as it is
 * read. Only the NDJSON bulk and the audio upload, with limits of their own, pass.
 * <p>
 * A multipart body is refused ({@code 415}) unread but by the uploads: the container
 * parses multipart through its own, uncounted stream whenever a parameter is asked for;
 * the uploads are held to its multipart limits instead ({@link BodyLimits}).
 * <p>
 * A servlet filter in front of every other, so that no security chain's filters read a
 * body before it. Refusals go through the error page (problems for the API, HTML for the
 * pages).
 */
class BodySizeFilter extends OncePerRequestFilter {

	private static final PathPatternRequestMatcher.Builder PATHS = PathPatternRequestMatcher.withDefaults();

	/**
	 * The uploads that take a multipart body.
	 */
	private static final List<RequestMatcher> MULTIPART = List.of(PATHS.matcher(HttpMethod.POST, "/api/v1/imports"),
			PATHS.matcher(HttpMethod.POST, "/api/v1/conversations/*/artifacts"));

	private static final List<RequestMatcher> STREAMED = List.of(
			PATHS.matcher(HttpMethod.POST, "/api/v1/conversations/_bulk"),
			PATHS.matcher(HttpMethod.PUT, "/api/v1/conversations/*/audio"));

	private final long limit;

	BodySizeFilter(long limit) {
		this.limit = limit;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (isMultipart(request)) {
			if (matches(MULTIPART, request)) {
				chain.doFilter(request, response);
			}
			else {
				response.sendError(HttpStatus.UNSUPPORTED_MEDIA_TYPE.value(),
						"a multipart body is taken only by the uploads, POST /api/v1/imports and "
								+ "POST /api/v1/conversations/{id}/artifacts");
			}
			return;
		}
		if (matches(STREAMED, request)) {
			chain.doFilter(request, response);
			return;
		}
		if (request.getContentLengthLong() > this.limit) {
			response.sendError(HttpStatus.CONTENT_TOO_LARGE.value(),
					"the request body is " + request.getContentLengthLong() + " bytes; " + allowed());
			return;
		}
		chain.doFilter(new Bounded(request), response);
	}

	private static boolean isMultipart(HttpServletRequest request) {
		String type = request.getContentType();
		return type != null && type.regionMatches(true, 0, "multipart/", 0, 10);
	}

	private static boolean matches(List<RequestMatcher> matchers, HttpServletRequest request) {
		return matchers.stream().anyMatch((matcher) -> matcher.matches(request));
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
