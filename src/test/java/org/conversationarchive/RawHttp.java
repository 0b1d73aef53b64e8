package org.conversationarchive;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request written byte for byte, as a client that no library would let send it does: a
 * path or a query string exactly as given (invalid escapes included), headers of any
 * size.
 */
public final class RawHttp {

	private static final Pattern CONTENT_LENGTH = Pattern.compile("\r\ncontent-length:\\s*(\\d+)");

	private RawHttp() {
	}

	/**
	 * Sends one request and reads the whole answer (the connection is closed after it).
	 * @param port the service's port
	 * @param method the method
	 * @param target the request target, sent as it is
	 * @param headers further header lines, e.g. {@code Authorization: Bearer …}
	 * @return the answer
	 */
	public static Answer send(int port, String method, String target, String... headers) {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(30_000);
			StringBuilder request = new StringBuilder(method).append(' ')
				.append(target)
				.append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
			for (String header : headers) {
				request.append(header).append("\r\n");
			}
			request.append("\r\n");
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			return read(socket.getInputStream());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Sends a request's head and the start of its body, never the rest, and reads the
	 * answer: one that comes at all came before the body ended, so whatever answered did
	 * not read the body whole. The body is chunked unless the headers give a
	 * {@code Content-Length}.
	 * @param port the service's port
	 * @param method the method
	 * @param target the request target
	 * @param bodyStart the start of the body
	 * @param headers further header lines, e.g. {@code Content-Type: …}
	 * @return the answer
	 */
	public static Answer sendUnfinished(int port, String method, String target, byte[] bodyStart, String... headers) {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(10_000);
			boolean chunked = Arrays.stream(headers)
				.noneMatch((header) -> header.regionMatches(true, 0, "Content-Length:", 0, 15));
			StringBuilder request = new StringBuilder(method).append(' ')
				.append(target)
				.append(" HTTP/1.1\r\nHost: localhost\r\n")
				.append(chunked ? "Transfer-Encoding: chunked\r\n" : "");
			for (String header : headers) {
				request.append(header).append("\r\n");
			}
			request.append("\r\n").append(chunked ? Integer.toHexString(bodyStart.length) + "\r\n" : "");
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
			out.write(bodyStart);
			out.write((chunked ? "\r\n" : "").getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			// The connection stays open (the server waits for the rest): read as far as
			// the answer's own framing says.
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			InputStream in = socket.getInputStream();
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				answer.write(buffer, 0, n);
				if (whole(answer.toString(StandardCharsets.ISO_8859_1))) {
					break;
				}
			}
			return read(new ByteArrayInputStream(answer.toByteArray()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean whole(String answer) {
		int end = answer.indexOf("\r\n\r\n");
		if (end < 0) {
			return false;
		}
		String head = answer.substring(0, end).toLowerCase(Locale.ROOT);
		Matcher length = CONTENT_LENGTH.matcher(head);
		if (length.find()) {
			return answer.length() - end - 4 >= Integer.parseInt(length.group(1));
		}
		return head.contains("\r\ntransfer-encoding: chunked") && answer.endsWith("\r\n0\r\n\r\n");
	}

	private static Answer read(InputStream in) throws IOException {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		in.transferTo(all);
		// Byte for byte until the body is whole: chunk sizes count bytes.
		String text = all.toString(StandardCharsets.ISO_8859_1);
		int end = text.indexOf("\r\n\r\n");
		String head = (end >= 0) ? text.substring(0, end) : text;
		String body = (end >= 0) ? text.substring(end + 4) : "";
		String[] lines = head.split("\r\n");
		int status = Integer.parseInt(lines[0].split(" ")[1]);
		Map<String, String> fields = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0) {
				fields.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).trim());
			}
		}
		if ("chunked".equalsIgnoreCase(fields.get("transfer-encoding"))) {
			body = unchunked(body);
		}
		return new Answer(status, fields,
				new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
	}

	private static String unchunked(String chunked) {
		StringBuilder body = new StringBuilder();
		int position = 0;
		while (position < chunked.length()) {
			int lineEnd = chunked.indexOf("\r\n", position);
			if (lineEnd < 0) {
				break;
			}
			int size = Integer.parseInt(chunked.substring(position, lineEnd).split(";")[0].trim(), 16);
			if (size == 0) {
				break;
			}
			body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
			position = lineEnd + 2 + size + 2;
		}
		return body.toString();
	}

	/**
	 * An answer.
	 *
	 * @param status its status
	 * @param headers its header fields, names in lower case
	 * @param body its body as text
	 */
	public record Answer(int status, Map<String, String> headers, String body) {

		public String contentType() {
			return this.headers.getOrDefault("content-type", "");
		}

	}

}
