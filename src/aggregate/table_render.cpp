// Cell formatting is shared: "ours ± std" then "[paper P, Δ D]" where the paper has the number.
#include "aggregate/table_render.h"

#include <cmath>
#include <cstdio>

#include "aggregate/run_groups.h"

namespace bgm {

namespace {

std::string signed_number(double value, int precision) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%+.*f", precision, value);
  return buffer;
}

// Plain-text parts of a cell, assembled differently by Markdown and LaTeX.
struct CellText {
  std::string ours, seeds_mark, paper, diff;
};

CellText cell_text(const TableCell& c, int precision, const std::string& plus_minus) {
  CellText t;
  if (c.ours.n == 0) {
    t.ours = "—";
  } else {
    t.ours = format_number(c.ours.mean, precision);
    if (!std::isnan(c.ours.std)) t.ours += plus_minus + format_number(c.ours.std, precision);
  }
  if (c.short_of_seeds && c.ours.n > 0) t.seeds_mark = "n=" + std::to_string(c.ours.n) + "†";
  if (c.paper) {
    t.paper = format_number(c.paper->value, precision);
    if (!std::isnan(c.paper->std)) t.paper += plus_minus + format_number(c.paper->std, precision);
    if (c.ours.n > 0) t.diff = signed_number(c.ours.mean - c.paper->value, precision);
  }
  return t;
}

std::string latex_escape(const std::string& text) {
  std::string out;
  for (char ch : text) {
    if (ch == '_' || ch == '&' || ch == '%' || ch == '#' || ch == '$') out += '\\';
    out += ch;
  }
  return out;
}

std::string csv_number(double v) {
  if (std::isnan(v)) return "";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

}  // namespace

std::string render_markdown(const ResultTable& table) {
  std::string out = "**" + table.title + "**\n\n|";
  for (const auto& k : table.key_columns) out += " " + k + " |";
  for (const auto& h : table.value_headers) out += " " + h + " |";
  out += "\n|";
  for (size_t i = 0; i < table.key_columns.size(); ++i) out += "---|";
  for (size_t i = 0; i < table.value_headers.size(); ++i) out += "---:|";
  out += "\n";
  for (const auto& row : table.rows) {
    out += "|";
    for (const auto& k : row.keys) out += " " + k + " |";
    for (const auto& cell : row.cells) {
      const CellText t = cell_text(cell, table.precision, " ± ");
      out += " " + t.ours;
      if (!t.seeds_mark.empty()) out += " (" + t.seeds_mark + ")";
      if (!t.paper.empty()) out += " [paper " + t.paper + (t.diff.empty() ? "" : ", Δ " + t.diff) + "]";
      out += " |";
    }
    out += "\n";
  }
  if (table.rows.empty()) out += "| (no runs) |\n";
  for (const auto& note : table.notes) out += "\n" + note + "\n";
  return out;
}

std::string render_latex(const ResultTable& table) {
  std::string out = "% " + table.title + "\n% needs \\usepackage{booktabs}\n\\begin{tabular}{";
  out += std::string(table.key_columns.size(), 'l') + std::string(table.value_columns.size(), 'r') + "}\n\\toprule\n";
  std::string header;
  for (const auto& k : table.key_columns) header += (header.empty() ? "" : " & ") + latex_escape(k);
  for (const auto& h : table.latex_headers) header += (header.empty() ? "" : " & ") + h;
  out += header + " \\\\\n\\midrule\n";
  for (const auto& row : table.rows) {
    std::string line;
    for (const auto& k : row.keys) line += (line.empty() ? "" : " & ") + latex_escape(k);
    for (const auto& cell : row.cells) {
      const CellText t = cell_text(cell, table.precision, "$\\pm$");
      std::string text = t.ours == "—" ? "--" : t.ours;
      if (!t.seeds_mark.empty()) text += "$^\\dagger$";
      if (!t.paper.empty()) text += " (" + t.paper + (t.diff.empty() ? "" : "; $" + t.diff + "$") + ")";
      line += (line.empty() ? "" : " & ") + text;
    }
    out += line + " \\\\\n";
  }
  out += "\\bottomrule\n\\end{tabular}\n";
  for (const auto& note : table.notes) out += "% " + note + "\n";
  return out;
}

std::string render_csv(const ResultTable& table) {
  std::string out;
  for (const auto& k : table.key_columns) out += k + ",";
  out += "column,n,mean,std,min,max,paper,paper_std,paper_source,diff,short_of_seeds\n";
  for (const auto& row : table.rows) {
    for (size_t c = 0; c < row.cells.size(); ++c) {
      const TableCell& cell = row.cells[c];
      for (const auto& k : row.keys) out += k + ",";
      out += table.value_columns[c] + "," + std::to_string(cell.ours.n) + "," + csv_number(cell.ours.mean) + "," +
             csv_number(cell.ours.std) + "," + csv_number(cell.ours.min) + "," + csv_number(cell.ours.max) + ",";
      if (cell.paper) {
        out += csv_number(cell.paper->value) + "," + csv_number(cell.paper->std) + "," + cell.paper->source + ",";
        out += cell.ours.n > 0 ? csv_number(cell.ours.mean - cell.paper->value) : "";
      } else {
        out += ",,,";
      }
      out += std::string(",") + (cell.short_of_seeds ? "yes" : "no") + "\n";
    }
  }
  return out;
}

}  // namespace bgm
