package org.conversationarchive.generator;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.DoubleFunction;

import javax.imageio.ImageIO;

/**
 * A small bar chart as a PNG, drawn with Java2D: a title, a value axis with gridlines and
 * labels, one labelled bar per category with its value above it, the last bar in the
 * highlight color.
 */
final class BarChart {

	static final int WIDTH = 640;

	static final int HEIGHT = 360;

	private static final Color BAR = new Color(0x4a, 0x78, 0xb0);

	private static final Color HIGHLIGHT = new Color(0xd0, 0x5a, 0x3c);

	private static final Color GRID = new Color(0xdd, 0xdd, 0xdd);

	private static final Color TEXT = new Color(0x33, 0x33, 0x33);

	private static final int LEFT = 70;

	private static final int RIGHT = 20;

	private static final int TOP = 50;

	private static final int BOTTOM = 50;

	private BarChart() {
	}

	/**
	 * The chart.
	 * @param title what it shows
	 * @param axis the values' unit, along the value axis
	 * @param bars the categories and their values, at least one, none negative
	 * @param format how a value reads (on the axis and above its bar)
	 * @return the PNG's bytes
	 */
	static byte[] png(String title, String axis, List<Bar> bars, DoubleFunction<String> format) {
		BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
			g.setColor(Color.WHITE);
			g.fillRect(0, 0, WIDTH, HEIGHT);
			g.setColor(TEXT);
			g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
			g.drawString(title, LEFT, 30);

			double top = niceTop(bars.stream().mapToDouble(Bar::value).max().orElse(1));
			int plotWidth = WIDTH - LEFT - RIGHT;
			int plotHeight = HEIGHT - TOP - BOTTOM;
			int baseline = TOP + plotHeight;
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
			FontMetrics metrics = g.getFontMetrics();
			int ticks = 5;
			for (int i = 0; i <= ticks; i++) {
				int y = baseline - plotHeight * i / ticks;
				g.setColor(GRID);
				g.drawLine(LEFT, y, WIDTH - RIGHT, y);
				g.setColor(TEXT);
				String label = format.apply(top * i / ticks);
				g.drawString(label, LEFT - 8 - metrics.stringWidth(label), y + metrics.getAscent() / 2 - 1);
			}
			// The unit, turned along the axis.
			Graphics2D turned = (Graphics2D) g.create();
			turned.rotate(-Math.PI / 2);
			turned.drawString(axis, -(TOP + plotHeight / 2 + metrics.stringWidth(axis) / 2), 16);
			turned.dispose();

			int slot = plotWidth / bars.size();
			int barWidth = slot * 3 / 5;
			for (int i = 0; i < bars.size(); i++) {
				Bar bar = bars.get(i);
				int height = (int) Math.round(plotHeight * bar.value() / top);
				int x = LEFT + i * slot + (slot - barWidth) / 2;
				g.setColor((i == bars.size() - 1) ? HIGHLIGHT : BAR);
				g.fillRect(x, baseline - height, barWidth, height);
				g.setColor(TEXT);
				String value = format.apply(bar.value());
				g.drawString(value, x + (barWidth - metrics.stringWidth(value)) / 2, baseline - height - 5);
				g.drawString(bar.label(), x + (barWidth - metrics.stringWidth(bar.label())) / 2,
						baseline + 8 + metrics.getAscent());
			}
			g.setStroke(new BasicStroke(1.5f));
			g.drawLine(LEFT, baseline, WIDTH - RIGHT, baseline);
			g.drawLine(LEFT, TOP, LEFT, baseline);
		}
		finally {
			g.dispose();
		}
		ByteArrayOutputStream png = new ByteArrayOutputStream();
		try {
			ImageIO.write(image, "png", png);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return png.toByteArray();
	}

	/**
	 * The top of the value axis: a round number (1, 2 or 5 times a power of ten, times
	 * the five ticks) a little above the largest value.
	 */
	static double niceTop(double largest) {
		double step = Math.max(largest * 1.1, 1e-9) / 5;
		double magnitude = Math.pow(10, Math.floor(Math.log10(step)));
		for (double nice : new double[] { 1, 2, 2.5, 5, 10 }) {
			if (nice * magnitude >= step) {
				return nice * magnitude * 5;
			}
		}
		return 10 * magnitude * 5;
	}

	/**
	 * One category.
	 *
	 * @param label its name, under its bar
	 * @param value its value
	 */
	record Bar(String label, double value) {
	}

}
