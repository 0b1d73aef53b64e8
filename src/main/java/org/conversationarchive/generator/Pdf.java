package org.conversationarchive.generator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A one-page PDF (A4) of text in Helvetica and lines, written out by hand: a catalog, the
 * page, the two standard fonts (which every reader has, so nothing is embedded), an
 * uncompressed content stream and the cross-reference table with each object's byte
 * offset. Text is Latin-1 in the fonts' WinAnsi encoding; other characters become
 * {@code ?}.
 */
final class Pdf {

	static final double WIDTH = 595;

	static final double HEIGHT = 842;

	private final StringBuilder content = new StringBuilder();

	/**
	 * Text starting at a point (from the page's bottom left, in points).
	 */
	Pdf text(double x, double y, Font font, double size, String text) {
		this.content.append("BT /")
			.append(font.resource)
			.append(' ')
			.append(number(size))
			.append(" Tf ")
			.append(number(x))
			.append(' ')
			.append(number(y))
			.append(" Td (")
			.append(escape(text))
			.append(") Tj ET\n");
		return this;
	}

	/**
	 * Text ending at {@code right}: for amounts, whose characters' widths are known
	 * exactly (others are taken as wide as a digit).
	 */
	Pdf textRight(double right, double y, Font font, double size, String text) {
		return text(right - width(text, size), y, font, size, text);
	}

	Pdf line(double x1, double y1, double x2, double y2, double width) {
		this.content.append(number(width))
			.append(" w ")
			.append(number(x1))
			.append(' ')
			.append(number(y1))
			.append(" m ")
			.append(number(x2))
			.append(' ')
			.append(number(y2))
			.append(" l S\n");
		return this;
	}

	/**
	 * A rectangle filled in a gray (0 black, 1 white); what follows is drawn in black.
	 */
	Pdf fill(double x, double y, double width, double height, double gray) {
		this.content.append(number(gray))
			.append(" g ")
			.append(number(x))
			.append(' ')
			.append(number(y))
			.append(' ')
			.append(number(width))
			.append(' ')
			.append(number(height))
			.append(" re f 0 g\n");
		return this;
	}

	/**
	 * The document.
	 * @param title its title, for the reader's window
	 * @return the PDF's bytes
	 */
	byte[] bytes(String title) {
		byte[] stream = latin1(this.content.toString());
		List<String> objects = List.of("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
				"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + number(WIDTH) + " " + number(HEIGHT) + "]"
						+ " /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
				"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
				"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
				"<< /Length " + stream.length + " >>\nstream\n", "<< /Title (" + escape(title) + ") >>");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		// The comment of high bytes tells transfer programs the file is binary.
		out.writeBytes(latin1("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n"));
		List<Integer> offsets = new ArrayList<>();
		for (int i = 0; i < objects.size(); i++) {
			offsets.add(out.size());
			out.writeBytes(latin1((i + 1) + " 0 obj\n" + objects.get(i)));
			if (i == 5) {
				out.writeBytes(stream);
				out.writeBytes(latin1("\nendstream"));
			}
			out.writeBytes(latin1("\nendobj\n"));
		}
		int xref = out.size();
		StringBuilder table = new StringBuilder("xref\n0 " + (objects.size() + 1) + "\n0000000000 65535 f\r\n");
		for (int offset : offsets) {
			table.append(String.format(Locale.ROOT, "%010d 00000 n\r\n", offset));
		}
		table.append("trailer\n<< /Size ")
			.append(objects.size() + 1)
			.append(" /Root 1 0 R /Info 7 0 R >>\nstartxref\n")
			.append(xref)
			.append("\n%%EOF\n");
		out.writeBytes(latin1(table.toString()));
		return out.toByteArray();
	}

	/**
	 * Width in points of text of the digits, {@code $ . , -} and space, which are the
	 * same in both fonts (Helvetica's metrics, in thousandths of the size).
	 */
	static double width(String text, double size) {
		double width = 0;
		for (int i = 0; i < text.length(); i++) {
			width += switch (text.charAt(i)) {
				case '.', ',', ' ' -> 278;
				case '-' -> 333;
				default -> 556;
			};
		}
		return width * size / 1000;
	}

	private static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\\' || c == '(' || c == ')') {
				escaped.append('\\').append(c);
			}
			else if (c < ' ' || (c > '~' && c < '\u00a0') || c > '\u00ff') {
				escaped.append('?');
			}
			else {
				escaped.append(c);
			}
		}
		return escaped.toString();
	}

	private static String number(double value) {
		return (value == Math.rint(value)) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.2f", value);
	}

	private static byte[] latin1(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	enum Font {

		REGULAR("F1"), BOLD("F2");

		private final String resource;

		Font(String resource) {
			this.resource = resource;
		}

	}

}
