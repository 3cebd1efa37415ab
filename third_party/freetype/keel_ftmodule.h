/*
 * keel_ftmodule.h - the FreeType modules Keel builds (FT_CONFIG_MODULES_H).
 *
 * TrueType fonts only, for now: the TrueType driver with the SFNT tables
 * it reads, PostScript glyph names, and the smooth (anti-aliased) and
 * monochrome rasterisers. third_party/BUILD compiles exactly the sources
 * of these modules.
 */
FT_USE_MODULE(FT_Driver_ClassRec, tt_driver_class)
FT_USE_MODULE(FT_Module_Class, sfnt_module_class)
FT_USE_MODULE(FT_Module_Class, psnames_module_class)
FT_USE_MODULE(FT_Renderer_Class, ft_smooth_renderer_class)
FT_USE_MODULE(FT_Renderer_Class, ft_raster1_renderer_class)
