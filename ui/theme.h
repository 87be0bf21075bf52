// Light and dark themes, and the classroom presentation mode (larger font, high contrast).
// The views take every colour from the palette (ui/views/phase_colors.h), so switching the
// application palette is enough to recolour them. GUI thread only.
#pragma once

#include <QString>

class QApplication;

namespace loopscope::ui {

enum class Theme { Light, Dark };

QString themeName(Theme theme);  // "light" / "dark", as stored in the settings
Theme themeFromName(const QString& name);

// Applies Fusion with the theme's palette and style sheet. In presentation mode the palette is
// high-contrast and the application font `presentationScale` times larger.
void applyAppearance(QApplication& app, Theme theme, bool presentation);

constexpr double kPresentationFontScale = 1.45;

}  // namespace loopscope::ui
