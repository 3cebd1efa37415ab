/*
 * ast.h - the syntax tree the parser builds and the executor walks.
 *
 * Words are kept structured rather than as text with quote markers: a word
 * is a list of parts, each a literal run (quoted or not), a parameter
 * expansion, a command substitution (with its parsed tree), an arithmetic
 * expansion or a tilde prefix.  The tree lives in an arena; serial.c
 * encodes it for child shells and copies it for function definitions.
 */
#ifndef SH_AST_H
#define SH_AST_H

#include <stdbool.h>

struct node;
struct word;

enum wpart_type {
	WP_LIT,    /* text: literal characters */
	WP_PARAM,  /* name, op, arg */
	WP_CMDSUB, /* cmd: $(...) or `...` */
	WP_ARITH,  /* arg: the expression as a word */
};

/* Parameter expansion operators (the colon forms have colon set). */
enum pop {
	POP_NONE,    /* $x ${x} */
	POP_LEN,     /* ${#x} */
	POP_DEFAULT, /* ${x-w} */
	POP_ASSIGN,  /* ${x=w} */
	POP_ERROR,   /* ${x?w} */
	POP_ALT,     /* ${x+w} */
	POP_RSMALL,  /* ${x%w} */
	POP_RLARGE,  /* ${x%%w} */
	POP_LSMALL,  /* ${x#w} */
	POP_LLARGE,  /* ${x##w} */
	POP_BAD,     /* unparsable: "Bad substitution" when expanded */
};

struct wpart {
	struct wpart *next;
	unsigned char type;
	bool quoted;      /* inside "..." (or '...' / \ for WP_LIT) */
	bool colon;       /* WP_PARAM: ${x:-w} form */
	unsigned char op; /* WP_PARAM: enum pop */
	char *text;       /* WP_LIT text, WP_PARAM name */
	struct word *arg; /* WP_PARAM argument word, WP_ARITH expression */
	struct node *cmd; /* WP_CMDSUB */
};

struct word {
	struct word *next;
	struct wpart *parts;
};

enum redir_type {
	R_IN,      /* <    */
	R_OUT,     /* >    */
	R_APPEND,  /* >>   */
	R_CLOBBER, /* >|   */
	R_RDWR,    /* <>   */
	R_DUPIN,   /* <&   */
	R_DUPOUT,  /* >&   */
	R_HEREDOC, /* <<, <<- : body is already read */
};

struct redir {
	struct redir *next;
	unsigned char type;
	bool here_quoted; /* delimiter was quoted: body is literal */
	bool here_strip;  /* <<- */
	int fd;
	struct word *target;     /* file name, fd word, or here-doc body */
	char *here_delim;        /* parser use only until the body is read */
	struct redir *here_next; /* parser: pending here-documents */
};

enum node_type {
	N_SIMPLE,
	N_PIPE,
	N_AND,
	N_OR,
	N_SEQ,
	N_BG,
	N_NOT,
	N_SUBSHELL,
	N_GROUP,
	N_IF,
	N_WHILE,
	N_UNTIL,
	N_FOR,
	N_CASE,
	N_FUNCDEF,
	N_TYPE_COUNT
};

struct case_item {
	struct case_item *next;
	struct word *patterns;
	struct node *body; /* may be NULL */
};

struct node {
	unsigned char type;
	bool for_in; /* N_FOR: has an `in` list (maybe empty) */
	int lineno;
	struct redir *redirs; /* N_SIMPLE and compound commands */
	union {
		struct {
			struct word *assigns;
			struct word *args;
		} simple;
		struct {
			struct node *left, *right; /* AND OR SEQ */
		} bin;
		struct {
			struct node **cmds;
			int n;
		} pipe;
		struct node *sub; /* BG NOT SUBSHELL GROUP */
		struct {
			struct node *cond, *then, *els; /* IF WHILE UNTIL */
		} cond;
		struct {
			char *var;
			struct word *words;
			struct node *body;
		} loop; /* FOR */
		struct {
			struct word *subject;
			struct case_item *items;
		} cas;
		struct {
			char *name;
			struct node *body;
		} func;
	} u;
};

#endif
